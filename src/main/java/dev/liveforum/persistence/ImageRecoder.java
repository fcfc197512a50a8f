package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import org.w3c.dom.Node;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decodes an upload and encodes its pixels afresh, so what is stored and served is only an image: no
 * metadata (EXIF with GPS positions, comments; a JPEG's Exif orientation is applied to the pixels first),
 * no bytes after the image's end (polyglots), no header that claims one thing while the pixels are another. Sizes are read from the header before any pixel
 * is decoded, so a small file declaring a huge picture is refused without allocating it. Blocking and
 * CPU-bound: runs on a worker.
 */
final class ImageRecoder {
  /** Longest side of an image (or of a GIF's screen). */
  static final int MAX_SIDE = 16_384;
  /** Most pixels of one decoded frame: 16 Mpx, 64 MiB as 4-byte pixels, the most one decode holds. */
  static final long MAX_PIXELS = 16_777_216;
  /** Most frames of an animated GIF; each is decoded and written alone, one at a time. */
  static final int MAX_FRAMES = 300;
  /** Most pixels of all frames of an animation together: bounds the work one upload costs. */
  static final long MAX_ANIMATION_PIXELS = 100_000_000;
  private static final String GIF_IMAGE = "javax_imageio_gif_image_1.0";
  private static final String GIF_STREAM = "javax_imageio_gif_stream_1.0";
  /** What a GIF frame keeps: its place, and its delay, disposal and transparency; comments and text go. */
  private static final Set<String> GIF_KEPT = Set.of("ImageDescriptor", "GraphicControlExtension");

  static {
    // Decoding never spills to temporary files: inputs are bounded and held in memory anyway.
    ImageIO.setUseCache(false);
  }

  private ImageRecoder() {}

  /** The image re-encoded in its own format; a 415 when it cannot be decoded, a 413 when it is too big. */
  static Buffer recode(Buffer bytes, ImageFormat format) {
    ImageReader reader = ImageIO.getImageReadersByFormatName(format.imageIoName).next();
    ImageWriter writer = ImageIO.getImageWriter(reader);
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes.getBytes()));
         ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length())) {
      // Only a GIF's per-frame metadata (delays) is read; anything else's is never looked at.
      reader.setInput(in, false, format != ImageFormat.GIF);
      try (ImageOutputStream target = new MemoryCacheImageOutputStream(out)) {
        writer.setOutput(target);
        if (format == ImageFormat.GIF) {
          writeGif(reader, writer);
        } else {
          writeStill(reader, writer, format,
              format == ImageFormat.JPEG ? ExifOrientation.of(bytes.getBytes()) : 1);
        }
      }
      return Buffer.buffer(out.toByteArray());
    } catch (ReplyException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // ImageIO's decoders signal corrupt input with IIOException but also with unchecked exceptions.
      throw Failure.of(415, "the file starts like a " + format.name() + " image but cannot be decoded as one");
    } finally {
      reader.dispose();
      writer.dispose();
    }
  }

  /** One picture, turned upright as its Exif {@code orientation} said (the Exif itself is not kept). */
  private static void writeStill(ImageReader reader, ImageWriter writer, ImageFormat format, int orientation)
      throws IOException {
    requireSize(reader.getWidth(0), reader.getHeight(0), "the image");
    BufferedImage image = ExifOrientation.upright(reader.read(0), orientation);
    ImageWriteParam param = writer.getDefaultWriteParam();
    if (format == ImageFormat.JPEG) {
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.9f);
    }
    writer.write(null, new IIOImage(image, null, null), param);
  }

  /**
   * Every frame, with its place and timing. The screen is made just large enough for the frames: the
   * declared one is a header field like any other (a GIF/JavaScript polyglot hides a comment opener there).
   */
  private static void writeGif(ImageReader reader, ImageWriter writer) throws IOException {
    int frames = reader.getNumImages(true);
    if (frames > MAX_FRAMES) {
      throw Failure.of(413, "a GIF may have at most " + MAX_FRAMES + " frames; this one has " + frames);
    }
    long total = 0;
    int screenWidth = 0;
    int screenHeight = 0;
    List<IIOMetadataNode> placed = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      requireSize(reader.getWidth(i), reader.getHeight(i), "frame " + (i + 1));
      total += (long) reader.getWidth(i) * reader.getHeight(i);
      IIOMetadataNode frame = kept((IIOMetadataNode) reader.getImageMetadata(i).getAsTree(GIF_IMAGE));
      IIOMetadataNode at = child(frame, "ImageDescriptor");
      screenWidth = Math.max(screenWidth, Integer.parseInt(at.getAttribute("imageLeftPosition")) + reader.getWidth(i));
      screenHeight = Math.max(screenHeight, Integer.parseInt(at.getAttribute("imageTopPosition")) + reader.getHeight(i));
      placed.add(frame);
    }
    if (total > MAX_ANIMATION_PIXELS) {
      throw Failure.of(413, "a GIF's frames may have at most " + MAX_ANIMATION_PIXELS
          + " pixels together; this one's have " + total);
    }
    requireSize(screenWidth, screenHeight, "the GIF's screen");
    ImageWriteParam param = writer.getDefaultWriteParam();
    // Each frame is written with a colour table of its own, made from the colours it decoded to.
    IIOMetadataNode screen = child((IIOMetadataNode) reader.getStreamMetadata().getAsTree(GIF_STREAM),
        "LogicalScreenDescriptor");
    screen.setAttribute("logicalScreenWidth", Integer.toString(screenWidth));
    screen.setAttribute("logicalScreenHeight", Integer.toString(screenHeight));
    IIOMetadataNode stream = new IIOMetadataNode(GIF_STREAM);
    stream.appendChild(screen);
    IIOMetadata streamMetadata = writer.getDefaultStreamMetadata(param);
    streamMetadata.mergeTree(GIF_STREAM, stream);
    writer.prepareWriteSequence(streamMetadata);
    for (int i = 0; i < frames; i++) {
      BufferedImage frame = reader.read(i);
      IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), param);
      IIOMetadataNode shown = placed.get(i);
      if (frame.getColorModel() instanceof IndexColorModel colors) {
        shown.appendChild(colorTable(colors));
      }
      metadata.mergeTree(GIF_IMAGE, shown);
      writer.writeToSequence(new IIOImage(frame, null, metadata), param);
    }
    writer.endWriteSequence();
  }

  /**
   * A frame's metadata reduced to what shows it: its place and timing, and the loop count (NETSCAPE2.0).
   * Nodes are moved, not cloned: a clone of an {@link IIOMetadataNode} loses its attributes.
   */
  private static IIOMetadataNode kept(IIOMetadataNode frame) {
    IIOMetadataNode kept = new IIOMetadataNode(GIF_IMAGE);
    for (Node n : children(frame)) {
      if (GIF_KEPT.contains(n.getNodeName())) {
        kept.appendChild(n);
      } else if (n.getNodeName().equals("ApplicationExtensions")) {
        IIOMetadataNode loops = new IIOMetadataNode("ApplicationExtensions");
        for (Node a : children(n)) {
          IIOMetadataNode app = (IIOMetadataNode) a;
          if ("NETSCAPE".equals(app.getAttribute("applicationID"))
              && app.getUserObject() instanceof byte[] data && data.length == 3) {
            loops.appendChild(app);
          }
        }
        if (loops.getLength() > 0) {
          kept.appendChild(loops);
        }
      }
    }
    return kept;
  }

  /**
   * The frame's own colours as its local colour table: without it the writer's default table (made from
   * the image type, not its colours) turns the pixels to other colours.
   */
  private static IIOMetadataNode colorTable(IndexColorModel colors) {
    int size = 2;
    while (size < colors.getMapSize()) {
      size *= 2;
    }
    IIOMetadataNode table = new IIOMetadataNode("LocalColorTable");
    table.setAttribute("sizeOfLocalColorTable", Integer.toString(size));
    table.setAttribute("sortFlag", "FALSE");
    for (int i = 0; i < size; i++) {
      int c = Math.min(i, colors.getMapSize() - 1);
      IIOMetadataNode entry = new IIOMetadataNode("ColorTableEntry");
      entry.setAttribute("index", Integer.toString(i));
      entry.setAttribute("red", Integer.toString(colors.getRed(c)));
      entry.setAttribute("green", Integer.toString(colors.getGreen(c)));
      entry.setAttribute("blue", Integer.toString(colors.getBlue(c)));
      table.appendChild(entry);
    }
    return table;
  }

  private static List<Node> children(Node parent) {
    List<Node> children = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      children.add(n);
    }
    return children;
  }

  private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeName().equals(name)) {
        return (IIOMetadataNode) n;
      }
    }
    return null;
  }

  private static void requireSize(int width, int height, String what) {
    if (width <= 0 || height <= 0) {
      throw Failure.of(415, what + " has no pixels (" + width + " × " + height + ")");
    }
    if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
      throw Failure.of(413, "an image may be at most " + MAX_SIDE + " pixels on a side and " + MAX_PIXELS
          + " pixels in all; " + what + " is " + width + " × " + height);
    }
  }
}
