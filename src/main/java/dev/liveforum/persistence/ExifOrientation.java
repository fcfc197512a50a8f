package dev.liveforum.persistence;

import java.awt.image.BufferedImage;

/**
 * The orientation a JPEG's Exif says its pixels are to be shown in (tag 0x0112: 1 as stored, up to 8), as a
 * phone camera writes it instead of turning the pixels. Re-encoding drops the Exif, so the upload's pixels
 * are turned as it says first; otherwise a photo taken upright would be shown lying on its side.
 */
final class ExifOrientation {
  private static final int AS_STORED = 1;

  private ExifOrientation() {}

  /**
   * The orientation in {@code jpeg}'s first Exif segment; 1 (as stored) when there is none, or when what is
   * there cannot be read. Looks only at the markers before the image data, each within its stated length.
   */
  static int of(byte[] jpeg) {
    if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
      return AS_STORED;
    }
    int at = 2;
    while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
      int marker = jpeg[at + 1] & 0xFF;
      int length = u16(jpeg, at + 2, false);
      if (marker == 0xDA || length < 2 || at + 2 + length > jpeg.length) {
        return AS_STORED; // the image data starts, or the segment is not whole
      }
      if (marker == 0xE1 && length >= 8 && startsWith(jpeg, at + 4, "Exif\0\0")) {
        return inTiff(jpeg, at + 10, at + 2 + length);
      }
      at += 2 + length;
    }
    return AS_STORED;
  }

  /** The orientation entry of IFD0 of the TIFF structure in {@code [start, end)}. */
  private static int inTiff(byte[] b, int start, int end) {
    if (end - start < 8) {
      return AS_STORED;
    }
    boolean little;
    if (b[start] == 'I' && b[start + 1] == 'I') {
      little = true;
    } else if (b[start] == 'M' && b[start + 1] == 'M') {
      little = false;
    } else {
      return AS_STORED;
    }
    long ifd = u32(b, start + 4, little);
    if (ifd < 8 || start + ifd + 2 > end) {
      return AS_STORED;
    }
    int entries = u16(b, (int) (start + ifd), little);
    for (int i = 0; i < entries; i++) {
      int entry = (int) (start + ifd + 2 + 12L * i);
      if (entry + 12 > end) {
        return AS_STORED;
      }
      if (u16(b, entry, little) == 0x0112 && u16(b, entry + 2, little) == 3) {
        int value = u16(b, entry + 8, little);
        return value >= 1 && value <= 8 ? value : AS_STORED;
      }
    }
    return AS_STORED;
  }

  /** {@code image} turned (and mirrored) as {@code orientation} says, to be shown as it is stored. */
  static BufferedImage upright(BufferedImage image, int orientation) {
    if (orientation <= AS_STORED || orientation > 8) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    boolean sideways = orientation >= 5;
    BufferedImage out = new BufferedImage(sideways ? h : w, sideways ? w : h,
        image.getType() == BufferedImage.TYPE_CUSTOM ? BufferedImage.TYPE_INT_RGB : image.getType());
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        switch (orientation) {
          case 2 -> out.setRGB(w - 1 - x, y, rgb);          // mirrored
          case 3 -> out.setRGB(w - 1 - x, h - 1 - y, rgb);  // upside down
          case 4 -> out.setRGB(x, h - 1 - y, rgb);          // mirrored upside down
          case 5 -> out.setRGB(y, x, rgb);                  // mirrored, turned a quarter left
          case 6 -> out.setRGB(h - 1 - y, x, rgb);          // to be turned a quarter right
          case 7 -> out.setRGB(h - 1 - y, w - 1 - x, rgb);  // mirrored, turned a quarter right
          default -> out.setRGB(y, w - 1 - x, rgb);         // 8: to be turned a quarter left
        }
      }
    }
    return out;
  }

  private static boolean startsWith(byte[] b, int at, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      if (at + i >= b.length || b[at + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int u16(byte[] b, int at, boolean little) {
    int first = b[at] & 0xFF;
    int second = b[at + 1] & 0xFF;
    return little ? first | second << 8 : first << 8 | second;
  }

  private static long u32(byte[] b, int at, boolean little) {
    long high = u16(b, little ? at + 2 : at, little);
    long low = u16(b, little ? at : at + 2, little);
    return high << 16 | low;
  }
}
