#pragma once
// DICOM attributes Harmonia reads, named once so that every error message can
// say which attribute is missing ("Radionuclide Total Dose (0018,1074)").

#include <cstdint>
#include <cstdio>
#include <string>

namespace harmonia {

/// One DICOM attribute: group, element and its dictionary name.
struct DicomTag {
  std::uint16_t group = 0;
  std::uint16_t element = 0;
  const char* name = "";

  /// (group << 16) | element: the key of TagValues maps.
  [[nodiscard]] constexpr std::uint32_t key() const {
    return (static_cast<std::uint32_t>(group) << 16) | element;
  }
  /// "Name (gggg,eeee)", for messages.
  [[nodiscard]] std::string label() const {
    char code[16];
    std::snprintf(code, sizeof code, "(%04X,%04X)", group, element);
    return std::string(name) + " " + code;
  }
};

/// The attributes Harmonia reads (top level, or flattened from the sequences
/// named in DicomHeader.cpp).
namespace tag {
// Identification.
inline constexpr DicomTag TransferSyntaxUid{0x0002, 0x0010, "Transfer Syntax UID"};
inline constexpr DicomTag SopClassUid{0x0008, 0x0016, "SOP Class UID"};
inline constexpr DicomTag SopInstanceUid{0x0008, 0x0018, "SOP Instance UID"};
inline constexpr DicomTag StudyInstanceUid{0x0020, 0x000D, "Study Instance UID"};
inline constexpr DicomTag SeriesInstanceUid{0x0020, 0x000E, "Series Instance UID"};
inline constexpr DicomTag FrameOfReferenceUid{0x0020, 0x0052, "Frame of Reference UID"};
inline constexpr DicomTag Modality{0x0008, 0x0060, "Modality"};
inline constexpr DicomTag ImageType{0x0008, 0x0008, "Image Type"};
inline constexpr DicomTag Manufacturer{0x0008, 0x0070, "Manufacturer"};
inline constexpr DicomTag ManufacturerModelName{0x0008, 0x1090, "Manufacturer's Model Name"};
inline constexpr DicomTag StudyDescription{0x0008, 0x1030, "Study Description"};
inline constexpr DicomTag SeriesDescription{0x0008, 0x103E, "Series Description"};
inline constexpr DicomTag PatientName{0x0010, 0x0010, "Patient's Name"};
inline constexpr DicomTag PatientId{0x0010, 0x0020, "Patient ID"};
inline constexpr DicomTag SeriesNumber{0x0020, 0x0011, "Series Number"};
inline constexpr DicomTag AcquisitionNumber{0x0020, 0x0012, "Acquisition Number"};
inline constexpr DicomTag InstanceNumber{0x0020, 0x0013, "Instance Number"};
inline constexpr DicomTag EchoNumbers{0x0018, 0x0086, "Echo Number(s)"};
inline constexpr DicomTag StudyDate{0x0008, 0x0020, "Study Date"};
inline constexpr DicomTag SeriesDate{0x0008, 0x0021, "Series Date"};
inline constexpr DicomTag AcquisitionDate{0x0008, 0x0022, "Acquisition Date"};
inline constexpr DicomTag AcquisitionDateTime{0x0008, 0x002A, "Acquisition DateTime"};
inline constexpr DicomTag SeriesTime{0x0008, 0x0031, "Series Time"};
inline constexpr DicomTag AcquisitionTime{0x0008, 0x0032, "Acquisition Time"};
// Image pixel module and geometry.
inline constexpr DicomTag Rows{0x0028, 0x0010, "Rows"};
inline constexpr DicomTag Columns{0x0028, 0x0011, "Columns"};
inline constexpr DicomTag NumberOfFrames{0x0028, 0x0008, "Number of Frames"};
inline constexpr DicomTag SamplesPerPixel{0x0028, 0x0002, "Samples per Pixel"};
inline constexpr DicomTag PhotometricInterpretation{0x0028, 0x0004, "Photometric Interpretation"};
inline constexpr DicomTag BitsAllocated{0x0028, 0x0100, "Bits Allocated"};
inline constexpr DicomTag BitsStored{0x0028, 0x0101, "Bits Stored"};
inline constexpr DicomTag PixelRepresentation{0x0028, 0x0103, "Pixel Representation"};
inline constexpr DicomTag PixelSpacing{0x0028, 0x0030, "Pixel Spacing"};
inline constexpr DicomTag SliceThickness{0x0018, 0x0050, "Slice Thickness"};
inline constexpr DicomTag SpacingBetweenSlices{0x0018, 0x0088, "Spacing Between Slices"};
inline constexpr DicomTag GantryTilt{0x0018, 0x1120, "Gantry/Detector Tilt"};
inline constexpr DicomTag ImagePositionPatient{0x0020, 0x0032, "Image Position (Patient)"};
inline constexpr DicomTag ImageOrientationPatient{0x0020, 0x0037, "Image Orientation (Patient)"};
inline constexpr DicomTag RescaleIntercept{0x0028, 0x1052, "Rescale Intercept"};
inline constexpr DicomTag RescaleSlope{0x0028, 0x1053, "Rescale Slope"};
inline constexpr DicomTag RescaleType{0x0028, 0x1054, "Rescale Type"};
inline constexpr DicomTag CorrectedImage{0x0028, 0x0051, "Corrected Image"};
inline constexpr DicomTag PixelData{0x7FE0, 0x0010, "Pixel Data"};
// Patient.
inline constexpr DicomTag PatientSex{0x0010, 0x0040, "Patient's Sex"};
inline constexpr DicomTag PatientSize{0x0010, 0x1020, "Patient's Size"};
inline constexpr DicomTag PatientWeight{0x0010, 0x1030, "Patient's Weight"};
// PET (the radiopharmaceutical ones come from the first item of
// Radiopharmaceutical Information Sequence (0054,0016)).
inline constexpr DicomTag RadiopharmaceuticalStartTime{0x0018, 0x1072,
                                                       "Radiopharmaceutical Start Time"};
inline constexpr DicomTag RadionuclideTotalDose{0x0018, 0x1074, "Radionuclide Total Dose"};
inline constexpr DicomTag RadionuclideHalfLife{0x0018, 0x1075, "Radionuclide Half Life"};
inline constexpr DicomTag RadiopharmaceuticalStartDateTime{0x0018, 0x1078,
                                                           "Radiopharmaceutical Start DateTime"};
inline constexpr DicomTag RadionuclideCodeSequence{0x0054, 0x0300, "Radionuclide Code Sequence"};
inline constexpr DicomTag ActualFrameDuration{0x0018, 0x1242, "Actual Frame Duration"};
inline constexpr DicomTag Units{0x0054, 0x1001, "Units"};
inline constexpr DicomTag SuvType{0x0054, 0x1006, "SUV Type"};
inline constexpr DicomTag DecayCorrection{0x0054, 0x1102, "Decay Correction"};
inline constexpr DicomTag FrameReferenceTime{0x0054, 0x1300, "Frame Reference Time"};
inline constexpr DicomTag DecayFactor{0x0054, 0x1321, "Decay Factor"};
inline constexpr DicomTag DoseCalibrationFactor{0x0054, 0x1322, "Dose Calibration Factor"};
inline constexpr DicomTag GePetScanDateTime{0x0009, 0x100D, "GE PET scan_datetime (private)"};
inline constexpr DicomTag PhilipsSuvScaleFactor{0x7053, 0x1000,
                                                "Philips SUV Scale Factor (private)"};
inline constexpr DicomTag PhilipsActivityScaleFactor{
    0x7053, 0x1009, "Philips Activity Concentration Scale Factor (private)"};
// MR.
inline constexpr DicomTag RepetitionTime{0x0018, 0x0080, "Repetition Time"};
inline constexpr DicomTag EchoTime{0x0018, 0x0081, "Echo Time"};
inline constexpr DicomTag InversionTime{0x0018, 0x0082, "Inversion Time"};
inline constexpr DicomTag FlipAngle{0x0018, 0x1314, "Flip Angle"};
inline constexpr DicomTag MagneticFieldStrength{0x0018, 0x0087, "Magnetic Field Strength"};
inline constexpr DicomTag ScanningSequence{0x0018, 0x0020, "Scanning Sequence"};
inline constexpr DicomTag SequenceVariant{0x0018, 0x0021, "Sequence Variant"};
inline constexpr DicomTag SequenceName{0x0018, 0x0024, "Sequence Name"};
inline constexpr DicomTag PulseSequenceName{0x0018, 0x9005, "Pulse Sequence Name"};
inline constexpr DicomTag EffectiveEchoTime{0x0018, 0x9082, "Effective Echo Time"};
inline constexpr DicomTag ReceiveCoilName{0x0018, 0x1250, "Receive Coil Name"};
inline constexpr DicomTag MrAcquisitionType{0x0018, 0x0023, "MR Acquisition Type"};
// CT.
inline constexpr DicomTag KVP{0x0018, 0x0060, "KVP"};
inline constexpr DicomTag ConvolutionKernel{0x0018, 0x1210, "Convolution Kernel"};
}  // namespace tag

}  // namespace harmonia
