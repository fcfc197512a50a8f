package dev.liveforum.net;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Vert.x's HTTP/1.1 request decoder, except that a request saying both {@code Transfer-Encoding: chunked} and
 * {@code Content-Length} keeps its {@code Content-Length}. Netty's decoder removes it (it reads the chunks), so
 * the request would reach handlers looking plain; kept, the HTTP role's framing check sees both and refuses
 * the request and closes the connection, as RFC 9112 (6.3) asks of a server that gets such an ambiguous
 * message. Installed per connection, in place of the decoder Vert.x put there, before a byte is decoded.
 */
public final class FramingDecoder extends VertxHttpRequestDecoder {
  /** The name Vert.x gives its HTTP/1.1 decoder in a connection's pipeline. */
  private static final String DECODER = "httpDecoder";

  private FramingDecoder(HttpServerOptions options) {
    super(options);
  }

  /** Puts the decoder in {@code connection}'s pipeline; a connection that is not HTTP/1.1 (h2c) is left as it is. */
  public static void install(HttpConnection connection, HttpServerOptions options) {
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channel().pipeline();
      if (pipeline.get(DECODER) instanceof VertxHttpRequestDecoder decoder && !(decoder instanceof FramingDecoder)) {
        pipeline.replace(DECODER, DECODER, new FramingDecoder(options));
      }
    }
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    // The chunks are still what is read (the decoder reads chunks whatever this does); the header stays.
  }
}
