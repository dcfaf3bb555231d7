#!/usr/bin/env bash
# Builds the fuzz targets' seed corpora in OUT (one folder per target):
# small well-formed files written by our own writers (harmonia_fuzz_seeds),
# a few real files from ../shared/data (skipped when it is absent) and
# tests/data, and compressed DICOM copies made with gdcmconv (libgdcm-tools).
# Usage: tests/fuzz/make_corpus.sh SEEDS_PROGRAM OUT
set -euo pipefail
seeds=$1
out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=$root/../shared/data

mkdir -p "$out"
"$seeds" "$out"

copy() {  # copy TARGET FILE...: the files that exist, named by their last two folders
  local target=$1 parent
  shift
  for f in "$@"; do
    parent=$(dirname "$f")
    [[ -f $f ]] &&
      cp "$f" "$out/$target/real-$(basename "$(dirname "$parent")")-$(basename "$parent")-$(basename "$f")"
  done
  return 0
}

if [[ -d $shared ]]; then
  phantom=$shared/ibsi/digital_phantom/nifti
  copy fuzz_nifti_gz "$phantom/image/phantom.nii.gz" "$phantom/mask/mask.nii.gz"
  for f in "$phantom/image/phantom.nii.gz" "$phantom/mask/mask.nii.gz"; do
    [[ -f $f ]] && gunzip -c "$f" >"$out/fuzz_nifti/real-$(basename "$(dirname "$f")").nii"
  done
  # One slice per modality and vendor, and the smallest structure set.
  copy fuzz_dicom "$shared/sts/STS_001/PET/image/000000.dcm" \
    "$shared/sts/STS_002/MR_T1/image/000000.dcm" "$shared/sts/STS_003/CT/image/000000.dcm" \
    "$shared/sts/STS_002/MR_T1/mask/RS.dcm"
  pet=$shared/sts/STS_001/PET/image/000000.dcm
  if [[ -f $pet ]] && command -v gdcmconv >/dev/null; then
    for codec in jpeg jpegls j2k rle; do
      gdcmconv --$codec "$pet" "$out/fuzz_dicom/real-pet-$codec.dcm" 2>/dev/null || true
    done
    gdcmconv --raw --explicit "$pet" "$out/fuzz_dicom/real-pet-explicit.dcm" 2>/dev/null || true
    gdcmconv --raw --implicit "$pet" "$out/fuzz_dicom/real-pet-implicit.dcm" 2>/dev/null || true
  fi
  copy fuzz_cohort_csv "$shared/suv_dro/DRO_list.csv"
  [[ -f $shared/combat/testdata.csv ]] &&
    head -n 12 "$shared/combat/testdata.csv" >"$out/fuzz_cohort_csv/real-combat-testdata.csv"
fi
copy fuzz_cohort_csv "$root/tests/data/combat/lme4_data.csv"
