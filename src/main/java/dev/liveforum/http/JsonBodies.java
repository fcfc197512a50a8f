package dev.liveforum.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a JSON request body must be before the contract is checked: UTF-8 (RFC 8259 8.1), strictly
 * decoded, so overlong and invalid sequences are refused rather than read as other characters, and
 * UTF-16 is refused rather than detected (Jackson guesses the encoding from the first bytes); and an
 * object without duplicate keys, which readers would resolve differently (Jackson keeps the last).
 * What the characters themselves may be is the persistence role's business.
 */
final class JsonBodies implements Handler<RoutingContext> {
  private static final JsonFactory STRICT = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  @Override
  public void handle(RoutingContext rc) {
    Buffer body = rc.body() == null ? null : rc.body().buffer();
    String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (body == null || body.length() == 0 || type == null || !type.toLowerCase(Locale.ROOT).contains("json")) {
      rc.next();
      return;
    }
    String problem = problem(body);
    if (problem == null) {
      rc.next();
    } else {
      Problems.send(rc, 400, problem);
    }
  }

  private static String problem(Buffer body) {
    String text;
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer bytes = ByteBuffer.wrap(body.getBytes());
    try {
      text = utf8.decode(bytes).toString();
    } catch (MalformedInputException e) {
      return "the body is not valid UTF-8: the bytes at offset " + bytes.position()
          + " are not a character's shortest encoding; send JSON in UTF-8";
    } catch (CharacterCodingException e) {
      return "the body is not valid UTF-8; send JSON in UTF-8";
    }
    if (text.indexOf('\0') >= 0) {
      return "the body holds NUL bytes, as UTF-16 text does; send JSON in UTF-8";
    }
    try (JsonParser parser = STRICT.createParser(text)) {
      while (parser.nextToken() != null) {
        // Read to the end: a duplicate key fails the parser where it is met.
      }
    } catch (StreamReadException e) {
      if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
        return "the JSON body names a key twice (" + e.getOriginalMessage().substring("Duplicate field ".length())
            + "): send each key once";
      }
      // Any other syntax error is reported by the contract's validation, as before.
    } catch (IOException e) {
      return null;
    }
    return null;
  }
}
