// What the study browser and the metadata panel show about a series: the
// overview columns, the harmonization attributes and the value conversion
// (or why it is impossible).

#include <gtest/gtest.h>

#include "TestSupport.h"
#include "core/dicom/SeriesDetails.h"
#include "dicom/DicomTestSupport.h"

using namespace harmonia;
using harmonia::test::ScratchDir;

namespace {

const KeyAttribute* attribute(const std::vector<KeyAttribute>& list, const std::string& name) {
  for (const KeyAttribute& a : list) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::string valueOf(const std::vector<KeyAttribute>& list, const std::string& name) {
  const KeyAttribute* a = attribute(list, name);
  return a ? a->value : "(not listed)";
}

const SeriesInfo& onlySeries(const DicomScan& scan) {
  if (scan.series.size() != 1) throw std::runtime_error("expected one series");
  return scan.series.front();
}

}  // namespace

TEST(SeriesDetails, FormatsDicomDates) {
  EXPECT_EQ(formatDicomDate("20000907"), "2000-09-07");
  EXPECT_EQ(formatDicomDate("20000907 "), "2000-09-07");
  EXPECT_EQ(formatDicomDate(""), "");
  EXPECT_EQ(formatDicomDate("2000.09.07"), "2000.09.07");  // old ACR-NEMA style: as stored
  EXPECT_EQ(formatDicomTime("103500.00"), "10:35:00.00");
  EXPECT_EQ(formatDicomTime("103500"), "10:35:00");
  EXPECT_EQ(formatDicomTime("1035"), "1035");  // shortened form: as stored
  EXPECT_EQ(formatDicomDateTime("20000907103500.00"), "2000-09-07 10:35:00.00");
  EXPECT_EQ(formatDicomDateTime("200009"), "200009");
}

TEST(SeriesDetails, OverviewAndAttributesOfTheIbsiCt) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const DicomScan scan = scanDicomFolder(data / "ibsi" / "ct_phantom" / "dicom" / "image");
  const SeriesInfo& s = onlySeries(scan);
  const SeriesOverview o = overviewOf(s);
  EXPECT_EQ(o.scanner, "CMS, Inc. CERR");
  EXPECT_EQ(o.slice_thickness, "3 mm");
  EXPECT_EQ(o.pixel_spacing, "0.977 mm");  // square pixels: one number
  EXPECT_EQ(o.images, "60");

  const auto attributes = harmonizationAttributes(s);
  EXPECT_EQ(valueOf(attributes, "Rescale intercept"), "-1000");
  EXPECT_EQ(valueOf(attributes, "Rescale slope"), "1");
  EXPECT_EQ(attribute(attributes, "Rescale intercept")->source, "Rescale Intercept (0028,1052)");
  EXPECT_EQ(valueOf(attributes, "Slice thickness"), "3 mm");
  EXPECT_EQ(valueOf(attributes, "Slice spacing (measured)"), "3 mm");
  // The CT section lists the kernel even when absent; no PET or MR section for a CT.
  ASSERT_NE(attribute(attributes, "Reconstruction kernel"), nullptr);
  EXPECT_EQ(attribute(attributes, "Injected dose"), nullptr);
  EXPECT_EQ(attribute(attributes, "Repetition time (TR)"), nullptr);

  const SeriesDetails d = describeSeries(s);
  EXPECT_TRUE(d.tags_error.empty()) << d.tags_error;
  EXPECT_GT(d.tags.size(), 20u);
  ASSERT_TRUE(d.conversion.has_value()) << d.conversion_error;
  EXPECT_EQ(d.conversion->units, "HU");
}

TEST(SeriesDetails, StsCtKernelAndPetPerSliceSlope) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const DicomScan ct = scanDicomFolder(data / "sts" / "STS_001" / "CT" / "image");
  const SeriesOverview o = overviewOf(onlySeries(ct));
  EXPECT_EQ(o.kernel, "SOFT");
  EXPECT_EQ(o.slice_thickness, "3.27 mm");
  EXPECT_EQ(o.scanner, "GE MEDICAL SYSTEMS Discovery ST");
  EXPECT_EQ(o.date, "2000-09-07");
  const auto ctAttributes = harmonizationAttributes(onlySeries(ct));
  EXPECT_EQ(valueOf(ctAttributes, "Reconstruction kernel"), "SOFT");
  EXPECT_EQ(valueOf(ctAttributes, "Tube voltage"), "140 kV");
  // The CT file has a patient weight, but it is no SUV input for a CT.
  EXPECT_EQ(attribute(ctAttributes, "Patient weight"), nullptr);

  const DicomScan pet = scanDicomFolder(data / "sts" / "STS_001" / "PET" / "image");
  const auto attributes = harmonizationAttributes(onlySeries(pet));
  EXPECT_NE(valueOf(attributes, "Rescale slope").find("varies per slice"), std::string::npos)
      << valueOf(attributes, "Rescale slope");
  EXPECT_EQ(valueOf(attributes, "Units"), "GML");
  EXPECT_EQ(valueOf(attributes, "Decay correction"), "ADMIN");
  EXPECT_EQ(valueOf(attributes, "Injected dose"), "3.88777e+08 Bq");
  EXPECT_EQ(valueOf(attributes, "Patient weight"), "71 kg");
  EXPECT_EQ(valueOf(attributes, "Injection time"), "10:35:00.00");
}

TEST(SeriesDetails, MrSectionListsTimingEvenWhenAbsent) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const DicomScan mr = scanDicomFolder(data / "sts" / "STS_002" / "MR_T1" / "image");
  const auto attributes = harmonizationAttributes(onlySeries(mr));
  const KeyAttribute* tr = attribute(attributes, "Repetition time (TR)");
  ASSERT_NE(tr, nullptr);
  EXPECT_FALSE(tr->present);  // stored empty in this file
  EXPECT_EQ(tr->value, "(absent)");
  EXPECT_NE(attribute(attributes, "Flip angle"), nullptr);
  EXPECT_NE(attribute(attributes, "Field strength"), nullptr);
}

TEST(SeriesDetails, PetConversionExplainsDoseAndDecayOrWhyItIsImpossible) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const auto folder = data / "suv_dro" / "DRO_0_0" / "PT";
  const SeriesDetails d = describeSeries(onlySeries(scanDicomFolder(folder)));
  ASSERT_TRUE(d.conversion.has_value()) << d.conversion_error;
  const std::string text = d.conversion->explanation();
  EXPECT_NE(text.find("Injected dose"), std::string::npos) << text;
  EXPECT_NE(text.find("Decay"), std::string::npos) << text;
  EXPECT_EQ(d.conversion->units, "SUVbw g/ml");
  EXPECT_EQ(d.first_file.parent_path(), folder);

  ScratchDir dir;
  test::copyWithout(folder / "pet_dro_0_0_slice_000.dcm", dir / "nodose.dcm",
                    {gdcm::Tag(0x0018, 0x1074)});
  const SeriesDetails bad = describeSeries(onlySeries(scanDicomFolder(dir.path())));
  EXPECT_FALSE(bad.conversion.has_value());
  EXPECT_NE(bad.conversion_error.find("Radionuclide Total Dose (0018,1074)"), std::string::npos)
      << bad.conversion_error;
  EXPECT_FALSE(bad.tags.empty());  // the tags are still listed
  const KeyAttribute* dose = attribute(bad.key_attributes, "Injected dose");
  ASSERT_NE(dose, nullptr);
  EXPECT_FALSE(dose->present);
}
