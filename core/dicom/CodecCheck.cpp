#include "core/dicom/CodecCheck.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string_view>

#include "core/util/Error.h"

namespace harmonia {
namespace {

enum class Codec { Jpeg, JpegLs, Jpeg2000, Rle, Unknown };

Codec codecOf(const std::string& uid) {
  static const std::string jpeg = "1.2.840.10008.1.2.4.";
  if (uid == "1.2.840.10008.1.2.5") return Codec::Rle;
  if (uid.rfind(jpeg, 0) != 0) return Codec::Unknown;
  int n = 0;
  const std::string rest = uid.substr(jpeg.size());
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
  if (ec != std::errc() || end != rest.data() + rest.size()) return Codec::Unknown;
  if (n >= 50 && n <= 70) return Codec::Jpeg;  // baseline, extended, lossless (and retired)
  if (n == 80 || n == 81) return Codec::JpegLs;
  if (n >= 90 && n <= 93) return Codec::Jpeg2000;
  return Codec::Unknown;
}

std::string hex(unsigned v) {
  char s[8];
  std::snprintf(s, sizeof s, "%02X", v);
  return s;
}

// One frame's bytes and what they must agree with.
class FrameCheck {
 public:
  FrameCheck(const std::filesystem::path& file, const EncapsulatedPixelData& px,
             std::string_view data, int frame, int frames)
      : file_(file), px_(px), d_(data) {
    if (frames > 1) where_ = " (frame " + std::to_string(frame + 1) + ")";
  }

  void jpeg() {
    std::size_t pos = soi("JPEG");
    bool sof = false;
    while (true) {
      const unsigned m = marker(pos, "JPEG");
      if (m == 0xD9) {
        fail("the JPEG stream ends (EOI) before its " + std::string(sof ? "SOS" : "SOF"));
      }
      if (m == 0xD8) fail("the JPEG stream has a second SOI before its scan");
      if ((m >= 0xD0 && m <= 0xD7) || m == 0x01) continue;  // standalone markers
      const std::size_t len = segment(pos, m, "JPEG");
      const std::string_view seg = d_.substr(pos + 2, len - 2);
      const bool isSof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
      if (isSof) {
        if (sof) fail("the JPEG stream has two SOF markers");
        sof = true;
        const bool lossless = m == 0xC3 || m == 0xC7 || m == 0xCB || m == 0xCF;
        jpegSof(seg, m, lossless);
      } else if (m == 0xC4) {
        dht(seg);
      } else if (m == 0xDB) {
        dqt(seg);
      } else if (m == 0xDD) {
        if (len != 4) fail("the JPEG DRI segment has length " + std::to_string(len));
      } else if (m == 0xDA) {
        if (!sof) fail("the JPEG stream has a scan (SOS) before its SOF");
        sos(seg);
        return;  // entropy-coded data follows
      }
      pos += len;
    }
  }

  void jpegLs() {
    std::size_t pos = soi("JPEG-LS");
    while (true) {
      const unsigned m = marker(pos, "JPEG-LS");
      if (m == 0xD9 || m == 0xD8 || m == 0xDA) {
        fail("the JPEG-LS stream has marker FF" + hex(m) + " before its SOF55");
      }
      if ((m >= 0xD0 && m <= 0xD7) || m == 0x01) continue;
      const std::size_t len = segment(pos, m, "JPEG-LS");
      if (m == 0xF7) {
        sofCommon(d_.substr(pos + 2, len - 2), "JPEG-LS SOF55", 2, 16);
        break;
      }
      if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
        fail("the JPEG-LS stream has a JPEG SOF (FF" + hex(m) + ") instead of SOF55");
      }
      pos += len;
    }
    // GDCM asserts that a frame of a multi-frame image holds an EOI (FFD9).
    std::size_t end = d_.size();
    while (end > 0 && static_cast<unsigned char>(d_[end - 1]) == 0) --end;
    if (end < 2 || static_cast<unsigned char>(d_[end - 2]) != 0xFF ||
        static_cast<unsigned char>(d_[end - 1]) != 0xD9) {
      fail("the JPEG-LS stream does not end with EOI (FFD9): truncated?");
    }
  }

  void jpeg2000() {
    if (d_.size() < 4 || u16(0) != 0xFF4F) {
      fail("the JPEG 2000 code stream does not start with SOC (FF4F)");
    }
    if (u16(2) != 0xFF51) fail("the JPEG 2000 code stream has no SIZ (FF51) after SOC");
    std::size_t pos = 2;
    bool first = true;
    while (true) {
      if (d_.size() - pos < 4) fail("truncated JPEG 2000 main header");
      const unsigned m = u16(pos);
      if ((m >> 8) != 0xFF || m < 0xFF30) {
        fail("damaged JPEG 2000 main header: no marker at byte " + std::to_string(pos));
      }
      if (m == 0xFF90) {
        if (first) fail("the JPEG 2000 code stream has no SIZ");
        return;  // SOT: the first tile
      }
      if (m == 0xFFD9 || m == 0xFF93) fail("the JPEG 2000 main header ends without a tile (SOT)");
      const std::size_t len = u16(pos + 2);
      if (len < 2 || len > d_.size() - pos - 2) {
        fail("the JPEG 2000 marker segment FF" + hex(m & 0xFF) + " at byte " + std::to_string(pos) +
             " runs past the end of the frame");
      }
      if (first) siz(d_.substr(pos + 4, len - 2));
      if (m == 0xFF52) cod(d_.substr(pos + 4, len - 2));
      first = false;
      pos += 2 + len;
    }
  }

  void rle() {
    if (px_.bits_allocated != 8 && px_.bits_allocated != 16 && px_.bits_allocated != 32) {
      fail("RLE with Bits Allocated " + std::to_string(px_.bits_allocated) + " (8, 16 or 32)");
    }
    if (px_.samples_per_pixel != 1 && px_.samples_per_pixel != 3) {
      fail("RLE with Samples per Pixel " + std::to_string(px_.samples_per_pixel) + " (1 or 3)");
    }
    if (d_.size() < 64) fail("the RLE frame is shorter than its 64-byte header");
    const std::uint32_t segments = u32le(0);
    const auto expected =
        static_cast<std::uint32_t>(px_.samples_per_pixel * px_.bits_allocated / 8);
    if (segments < 1 || segments > 15 || segments != expected) {
      fail("the RLE header has " + std::to_string(segments) + " segments (expected " +
           std::to_string(expected) + ")");
    }
    std::uint32_t offsets[16];
    for (std::uint32_t i = 0; i < segments; ++i) {
      offsets[i] = u32le(4 + 4 * i);
      const bool increasing = i == 0 ? offsets[i] == 64 : offsets[i] > offsets[i - 1];
      if (!increasing || offsets[i] >= d_.size()) {
        fail("the RLE header's segment offset " + std::to_string(i + 1) + " (" +
             std::to_string(offsets[i]) + ") is " +
             (offsets[i] >= d_.size() ? "past the end of the frame"
                                      : (i == 0 ? "not 64" : "not increasing")));
      }
    }
    const std::uint64_t need =
        static_cast<std::uint64_t>(px_.rows) * static_cast<std::uint64_t>(px_.columns);
    for (std::uint32_t i = 0; i < segments; ++i) packBits(offsets[i], need, i + 1);
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw InputError(file_, "damaged compressed Pixel Data" + where_ + ": " + problem);
  }

  unsigned u8(std::size_t pos) const { return static_cast<unsigned char>(d_[pos]); }
  unsigned u16(std::size_t pos) const { return (u8(pos) << 8) | u8(pos + 1); }
  std::uint32_t u32(std::size_t pos) const {
    return (static_cast<std::uint32_t>(u16(pos)) << 16) | u16(pos + 2);
  }
  std::uint32_t u32le(std::size_t pos) const {
    return u8(pos) | (u8(pos + 1) << 8) | (u8(pos + 2) << 16) |
           (static_cast<std::uint32_t>(u8(pos + 3)) << 24);
  }

  std::size_t soi(const char* what) const {
    if (d_.size() < 4 || u16(0) != 0xFFD8) {
      fail(std::string("the ") + what + " stream does not start with SOI (FFD8)");
    }
    return 2;
  }

  // The marker at `pos` (fill bytes FF skipped); `pos` moves past it.
  unsigned marker(std::size_t& pos, const char* what) const {
    if (pos >= d_.size() || u8(pos) != 0xFF) {
      fail(std::string("the ") + what + " stream has no marker at byte " + std::to_string(pos) +
           (pos >= d_.size() ? " (truncated)" : ""));
    }
    while (pos < d_.size() && u8(pos) == 0xFF) ++pos;
    if (pos >= d_.size()) fail(std::string("truncated ") + what + " stream");
    const unsigned m = u8(pos);
    if (m == 0x00) fail(std::string("the ") + what + " stream has an invalid marker FF00");
    ++pos;
    return m;
  }

  // The length of the segment at `pos` (its length field included), inside the frame.
  std::size_t segment(std::size_t pos, unsigned m, const char* what) const {
    if (d_.size() - pos < 2) fail(std::string("truncated ") + what + " stream");
    const std::size_t len = u16(pos);
    if (len < 2 || len > d_.size() - pos) {
      fail(std::string("the ") + what + " marker segment FF" + hex(m) + " at byte " +
           std::to_string(pos - 2) + " (length " + std::to_string(len) +
           ") runs past the end of the frame");
    }
    return len;
  }

  // Image size and sample format (JPEG SOFn, JPEG-LS SOF55).
  void sofCommon(std::string_view s, const std::string& what, int minP, int maxP) const {
    if (s.size() < 6) fail("the " + what + " segment is too short");
    const auto b = [&](std::size_t i) {
      return static_cast<unsigned>(static_cast<unsigned char>(s[i]));
    };
    const int p = static_cast<int>(b(0));
    const int height = static_cast<int>((b(1) << 8) | b(2));
    const int width = static_cast<int>((b(3) << 8) | b(4));
    const int nf = static_cast<int>(b(5));
    if (s.size() != 6 + 3 * static_cast<std::size_t>(nf)) {
      fail("the " + what + " segment's length does not match its " + std::to_string(nf) +
           " components");
    }
    if (p < minP || p > maxP) fail("the " + what + " precision is " + std::to_string(p));
    if (height != px_.rows) {
      fail("the " + what + " height (" + std::to_string(height) + ") differs from Rows (" +
           std::to_string(px_.rows) + ")");
    }
    if (width != px_.columns) {
      fail("the " + what + " width (" + std::to_string(width) + ") differs from Columns (" +
           std::to_string(px_.columns) + ")");
    }
    if ((nf != 1 && nf != 3) || nf != px_.samples_per_pixel) {
      fail("the " + what + " has " + std::to_string(nf) + " components (Samples per Pixel " +
           std::to_string(px_.samples_per_pixel) + ")");
    }
    checkPrecision(p, what + " precision");
    for (int c = 0; c < nf; ++c) {
      const unsigned hv = b(6 + 3 * static_cast<std::size_t>(c) + 1);
      if (what == "JPEG-LS SOF55") {
        if (hv != 0x11) fail("the " + what + " has sub-sampled components");
        continue;
      }
      const unsigned h = hv >> 4;
      const unsigned v = hv & 15;
      if (h < 1 || h > 4 || v < 1 || v > 4) fail("the " + what + " has invalid sampling factors");
      if (nf == 1 && hv != 0x11) fail("the " + what + " has a sub-sampled grey component");
      if (b(6 + 3 * static_cast<std::size_t>(c) + 2) > 3) {
        fail("the " + what + " names a quantization table above 3");
      }
    }
  }

  // A sample precision: held in Bits Allocated, and holding Bits Stored.
  void checkPrecision(int p, const std::string& what) const {
    if (px_.bits_allocated == 1) {
      if (p != 8) fail("the " + what + " (" + std::to_string(p) + ") is not 8 for a 1-bit image");
      return;
    }
    const int bytes = (p + 7) / 8;
    if (bytes * 8 != px_.bits_allocated) {
      fail("the " + what + " (" + std::to_string(p) + ") does not match Bits Allocated (" +
           std::to_string(px_.bits_allocated) + ")");
    }
    if (px_.bits_stored > 0 && p < px_.bits_stored) {
      fail("the " + what + " (" + std::to_string(p) + ") is below Bits Stored (" +
           std::to_string(px_.bits_stored) + ")");
    }
  }

  void jpegSof(std::string_view s, unsigned m, bool lossless) const {
    const std::string what = "JPEG SOF" + std::to_string(m - 0xC0);
    if (lossless) {
      sofCommon(s, what, 2, 16);
    } else {
      // GDCM (IJG built for 8, 12 and 16 bits) writes and reads 16-bit lossy JPEG too.
      if (s.size() >= 1 && s[0] != 8 && s[0] != 12 && s[0] != 16) {
        fail("the " + what + " precision is " + std::to_string(static_cast<unsigned char>(s[0])) +
             " (8, 12 or 16 for lossy JPEG)");
      }
      sofCommon(s, what, 8, 16);
    }
  }

  void dht(std::string_view s) const {
    std::size_t i = 0;
    if (s.empty()) fail("an empty JPEG DHT segment");
    while (i < s.size()) {
      const unsigned tcth = static_cast<unsigned char>(s[i]);
      if ((tcth >> 4) > 1 || (tcth & 15) > 3) fail("a JPEG DHT table has class/id " + hex(tcth));
      if (s.size() - i < 17) fail("a JPEG DHT table is truncated");
      std::size_t total = 0;
      for (std::size_t k = 1; k <= 16; ++k) total += static_cast<unsigned char>(s[i + k]);
      if (total > 256 || total > s.size() - i - 17) {
        fail("a JPEG DHT table has " + std::to_string(total) +
             " codes, more than its segment holds");
      }
      i += 17 + total;
    }
  }

  void dqt(std::string_view s) const {
    std::size_t i = 0;
    if (s.empty()) fail("an empty JPEG DQT segment");
    while (i < s.size()) {
      const unsigned pqtq = static_cast<unsigned char>(s[i]);
      if ((pqtq >> 4) > 1 || (pqtq & 15) > 3) {
        fail("a JPEG DQT table has precision/id " + hex(pqtq));
      }
      const std::size_t n = (pqtq >> 4) == 1 ? 128 : 64;
      if (s.size() - i - 1 < n) fail("a JPEG DQT table is truncated");
      i += 1 + n;
    }
  }

  void sos(std::string_view s) const {
    if (s.empty()) fail("an empty JPEG SOS segment");
    const std::size_t ns = static_cast<unsigned char>(s[0]);
    if (ns < 1 || ns > 4 || s.size() != 4 + 2 * ns) {
      fail("the JPEG SOS segment has " + std::to_string(ns) + " components and length " +
           std::to_string(s.size() + 2));
    }
    if (ns > static_cast<std::size_t>(px_.samples_per_pixel)) {
      fail("the JPEG SOS segment has more components than the frame");
    }
  }

  void siz(std::string_view s) const {
    if (s.size() < 36) fail("the JPEG 2000 SIZ segment is too short");
    const auto be32 = [&](std::size_t i) {
      const auto b = [&](std::size_t k) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(s[k]));
      };
      return (b(i) << 24) | (b(i + 1) << 16) | (b(i + 2) << 8) | b(i + 3);
    };
    const std::uint32_t xsiz = be32(2);
    const std::uint32_t ysiz = be32(6);
    const std::uint32_t xo = be32(10);
    const std::uint32_t yo = be32(14);
    const std::uint32_t xt = be32(18);
    const std::uint32_t yt = be32(22);
    const std::uint32_t xto = be32(26);
    const std::uint32_t yto = be32(30);
    const unsigned csiz = (static_cast<unsigned>(static_cast<unsigned char>(s[34])) << 8) |
                          static_cast<unsigned char>(s[35]);
    if (s.size() != 36 + 3 * static_cast<std::size_t>(csiz)) {
      fail("the JPEG 2000 SIZ segment's length does not match its " + std::to_string(csiz) +
           " components");
    }
    if (xsiz <= xo || ysiz <= yo) fail("the JPEG 2000 SIZ has an empty image area");
    if (xsiz - xo != static_cast<std::uint32_t>(px_.columns)) {
      fail("the JPEG 2000 image width (" + std::to_string(xsiz - xo) + ") differs from Columns (" +
           std::to_string(px_.columns) + ")");
    }
    if (ysiz - yo != static_cast<std::uint32_t>(px_.rows)) {
      fail("the JPEG 2000 image height (" + std::to_string(ysiz - yo) + ") differs from Rows (" +
           std::to_string(px_.rows) + ")");
    }
    if (xt == 0 || yt == 0 || xto > xo || yto > yo || std::uint64_t{xto} + xt <= xo ||
        std::uint64_t{yto} + yt <= yo) {
      fail("the JPEG 2000 SIZ has invalid tiles");
    }
    const std::uint64_t tiles =
        ((std::uint64_t{xsiz} - xto + xt - 1) / xt) * ((std::uint64_t{ysiz} - yto + yt - 1) / yt);
    if (tiles > 65535) fail("the JPEG 2000 SIZ has " + std::to_string(tiles) + " tiles");
    if (csiz != static_cast<unsigned>(px_.samples_per_pixel)) {
      fail("the JPEG 2000 SIZ has " + std::to_string(csiz) + " components (Samples per Pixel " +
           std::to_string(px_.samples_per_pixel) + ")");
    }
    for (unsigned c = 0; c < csiz; ++c) {
      const auto ssiz = static_cast<unsigned char>(s[36 + 3 * c]);
      const int p = (ssiz & 0x7F) + 1;
      if (p > 16) fail("the JPEG 2000 component precision is " + std::to_string(p));
      if (s[37 + 3 * c] != 1 || s[38 + 3 * c] != 1) {
        fail("the JPEG 2000 SIZ has sub-sampled components");
      }
      if (p > px_.bits_allocated || (px_.bits_stored > 0 && p < px_.bits_stored)) {
        fail("the JPEG 2000 component precision (" + std::to_string(p) +
             ") does not match Bits Allocated/Stored (" + std::to_string(px_.bits_allocated) + "/" +
             std::to_string(px_.bits_stored) + ")");
      }
    }
  }

  void cod(std::string_view s) const {
    if (s.size() < 10) fail("the JPEG 2000 COD segment is too short");
    const auto levels = static_cast<unsigned char>(s[5]);
    const auto xcb = static_cast<unsigned char>(s[6]);
    const auto ycb = static_cast<unsigned char>(s[7]);
    if (levels > 32 || xcb > 8 || ycb > 8 || xcb + ycb > 8) {
      fail("the JPEG 2000 COD segment has invalid levels or code-block sizes");
    }
  }

  // Walks one RLE segment: PackBits runs must produce exactly `need` bytes
  // without reading past the frame (GDCM asserts or reads out of bounds).
  void packBits(std::size_t pos, std::uint64_t need, std::uint32_t number) const {
    std::uint64_t out = 0;
    while (out < need) {
      if (pos >= d_.size()) break;
      const auto n = static_cast<signed char>(d_[pos++]);
      if (n >= 0) {
        const std::size_t count = static_cast<std::size_t>(n) + 1;
        if (d_.size() - pos < count) {
          pos = d_.size() + 1;
          break;
        }
        pos += count;
        out += count;
      } else if (n != -128) {
        if (pos >= d_.size()) {
          pos = d_.size() + 1;
          break;
        }
        ++pos;
        out += static_cast<std::uint64_t>(1 - n);
      }
    }
    if (out < need) {
      fail("RLE segment " + std::to_string(number) + " ends after " + std::to_string(out) +
           " of its " + std::to_string(need) + " bytes");
    }
    if (out > need) {
      fail("RLE segment " + std::to_string(number) + " decodes to more than Rows x Columns (" +
           std::to_string(need) + ") bytes");
    }
  }

  const std::filesystem::path& file_;
  const EncapsulatedPixelData& px_;
  std::string_view d_;
  std::string where_;
};

}  // namespace

bool isCheckedEncapsulatedTransferSyntax(const std::string& uid) {
  return codecOf(uid) != Codec::Unknown;
}

void checkEncapsulatedPixelData(const std::filesystem::path& file, const EncapsulatedPixelData& px,
                                const PixelByteReader& read) {
  const auto fail = [&](const std::string& problem) { throw InputError(file, problem); };
  const Codec codec = codecOf(px.transfer_syntax);
  if (codec == Codec::Unknown) {
    fail("Pixel Data in transfer syntax " + px.transfer_syntax + " cannot be decoded");
  }
  if (px.rows <= 0 || px.columns <= 0) {
    fail("compressed Pixel Data without Rows (0028,0010) and Columns (0028,0011)");
  }
  // GDCM writes 1-bit images (masks) as 8-bit JPEG, one byte per pixel.
  if (px.bits_allocated != 8 && px.bits_allocated != 16 &&
      !(codec == Codec::Rle && px.bits_allocated == 32) &&
      !(codec == Codec::Jpeg && px.bits_allocated == 1)) {
    fail("compressed Pixel Data with Bits Allocated " + std::to_string(px.bits_allocated));
  }
  if (px.bits_stored > px.bits_allocated) {
    fail("Bits Stored (" + std::to_string(px.bits_stored) + ") above Bits Allocated (" +
         std::to_string(px.bits_allocated) + ")");
  }
  if (px.samples_per_pixel < 1) fail("compressed Pixel Data without Samples per Pixel (0028,0002)");

  long frames = 1;
  if (!px.number_of_frames.empty()) {
    std::string_view t = px.number_of_frames;
    while (!t.empty() && (t.back() == ' ' || t.back() == '\0')) t.remove_suffix(1);
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), frames);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size() || frames < 1) {
      fail("Number of Frames (0028,0008) is '" + px.number_of_frames + "'");
    }
  }
  const std::size_t fragments = px.fragments.size();
  if (fragments == 0) fail("encapsulated Pixel Data without fragments");
  if (frames > 1 && static_cast<std::size_t>(frames) != fragments) {
    fail(std::to_string(frames) + " frames in " + std::to_string(fragments) +
         " Pixel Data fragments (one fragment per frame is required)");
  }

  // The basic offset table: empty, or one entry per frame.
  if (px.offset_table.length != 0) {
    if (px.offset_table.length != 4 * static_cast<std::uint64_t>(frames)) {
      fail("the Pixel Data offset table has " + std::to_string(px.offset_table.length / 4) +
           " entries for " + std::to_string(frames) + " frames");
    }
    const std::string table = read(px.offset_table.offset, px.offset_table.length);
    std::uint64_t total = 0;
    for (const PixelFragment& f : px.fragments) total += 8 + std::uint64_t{f.length};
    std::uint32_t previous = 0;
    for (long i = 0; i < frames; ++i) {
      const auto* b = reinterpret_cast<const unsigned char*>(table.data() + 4 * i);
      const std::uint32_t v = b[0] | (b[1] << 8) | (b[2] << 16) | (std::uint32_t{b[3]} << 24);
      if ((i == 0 && v != 0) || (i > 0 && v <= previous) || v >= total) {
        fail("the Pixel Data offset table is damaged (entry " + std::to_string(i + 1) + ")");
      }
      previous = v;
    }
  }

  const auto checkFrame = [&](std::string_view data, int frame) {
    FrameCheck check(file, px, data, frame, static_cast<int>(frames));
    switch (codec) {
      case Codec::Jpeg:
        return check.jpeg();
      case Codec::JpegLs:
        return check.jpegLs();
      case Codec::Jpeg2000:
        return check.jpeg2000();
      case Codec::Rle:
        return check.rle();
      case Codec::Unknown:
        return;
    }
  };
  if (frames == 1) {
    // GDCM joins all the fragments of a single-frame image.
    std::string joined;
    for (const PixelFragment& f : px.fragments) joined += read(f.offset, f.length);
    checkFrame(joined, 0);
    return;
  }
  for (std::size_t i = 0; i < fragments; ++i) {
    const std::string data = read(px.fragments[i].offset, px.fragments[i].length);
    checkFrame(data, static_cast<int>(i));
  }
}

}  // namespace harmonia
