# Every dependency comes from Debian 12's packages through find_package.
find_package(Threads REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(TBB REQUIRED)
find_package(OpenCV 4 REQUIRED COMPONENTS core imgproc imgcodecs photo)
find_package(GDCM REQUIRED)
find_package(ZLIB REQUIRED)
# Header-only JSON parser for the feature settings files (nlohmann-json3-dev).
find_package(nlohmann_json 3.10 REQUIRED)

# Debian's VTK exports VTK::mpi, which needs MPI::MPI_C to exist first.
find_package(MPI COMPONENTS C)
# Only rendering and I/O components: Debian's VTK Qt modules are built for Qt 5 and
# must never be linked into this Qt 6 program. find_package(VTK) is called once only,
# because a second call overwrites VTK_LIBRARIES.
find_package(VTK 9.1 REQUIRED COMPONENTS
  CommonCore CommonDataModel CommonExecutionModel CommonMath CommonTransforms
  IOImage ImagingCore ImagingGeneral ImagingStatistics
  InteractionStyle RenderingCore RenderingOpenGL2 RenderingImage RenderingVolume
  RenderingVolumeOpenGL2 RenderingAnnotation RenderingFreeType)

find_package(Qt6 REQUIRED COMPONENTS Core Gui Widgets OpenGL OpenGLWidgets Charts)

if(HARMONIA_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
