#pragma once
// ASCII case folding, for names compared without regard to case: DICOM code
// strings (upper case ASCII, PS3.5 section 6.2, VR CS), file extensions, ROI
// names. Not locale-aware on purpose; bytes outside A-Z / a-z are unchanged.

#include <string>

namespace harmonia {

inline std::string asciiUpper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

inline std::string asciiLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace harmonia
