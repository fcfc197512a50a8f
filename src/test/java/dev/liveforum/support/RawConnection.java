package dev.liveforum.support;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A TCP connection to a node's port that does what HTTP clients will not: stall, trickle header lines,
 * ignore an answer and keep sending. Each read waits at most the given bound, never for ever.
 */
public final class RawConnection implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  private RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** A connection from 127.0.0.1 to {@code port} on this machine. */
  public static RawConnection open(int port) {
    return open("127.0.0.1", port);
  }

  /** A connection from {@code localAddress} (any of 127.0.0.0/8 is this machine too) to {@code port}. */
  public static RawConnection open(String localAddress, int port) {
    try {
      Socket socket = new Socket();
      socket.bind(new InetSocketAddress(localAddress, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      return new RawConnection(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RawConnection send(String text) {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawConnection send(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The next response (a {@code 100 Continue} is one too), its body read as far as its Content-Length
   * says; fails when none comes within {@code seconds} or the connection closes first.
   */
  public Api.Response response(int seconds) {
    try {
      socket.setSoTimeout(seconds * 1000);
      String head = readHead();
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      String[] lines = head.split("\r\n");
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.add(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip());
      }
      int status = Integer.parseInt(lines[0].substring(9, 12));
      int length = headers.contains("Content-Length") ? Integer.parseInt(headers.get("Content-Length")) : 0;
      return new Api.Response(status, headers, Buffer.buffer(in.readNBytes(length)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed after " + seen.size() + " bytes of a response head: " + seen);
      }
      seen.write(b);
      if (b == '\n' && seen.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        return seen.toString(StandardCharsets.ISO_8859_1).strip();
      }
    }
  }

  /**
   * Whether the server closes the connection within {@code seconds} without sending anything more
   * (an end of stream or a reset both count); false if it is still open then.
   */
  public boolean closedWithin(int seconds) {
    try {
      socket.setSoTimeout(seconds * 1000);
      int b = in.read();
      if (b >= 0) {
        throw new AssertionError("expected the connection to close, but the server sent more: " + (char) b
            + new String(in.readNBytes(in.available()), StandardCharsets.ISO_8859_1));
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
