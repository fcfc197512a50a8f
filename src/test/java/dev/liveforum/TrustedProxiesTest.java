package dev.liveforum;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.liveforum.config.Config.ConfigException;
import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import static dev.liveforum.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Behind trusted proxies the client is the rightmost untrusted hop; anyone else's forwarding headers are ignored")
class TrustedProxiesTest {
  private static final String PROXY = "127.0.0.1";
  private static final String STRANGER = "127.0.0.2";
  private TestNode node;

  @BeforeAll
  void start() {
    node = TestNode.start(TestServices.config()
        .with(Setting.HTTP_TRUSTED_PROXIES, new JsonArray(List.of(PROXY, "10.0.0.0/8")))
        .with(Setting.LOGIN_LIMIT_IP, 2));
  }

  @AfterAll
  void stop() {
    node.close();
  }

  /** A failed login sent from {@code local} with {@code headers}; the response's status. */
  private int login(String local, String headers) {
    String body = "{\"email\":\"nobody-" + UUID.randomUUID() + "@example.com\",\"password\":\"guess\"}";
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
      socket.connect(new InetSocketAddress("127.0.0.1", node.port));
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n" + headers + "\r\n" + body)
          .getBytes(StandardCharsets.UTF_8));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return Integer.parseInt(answer.substring(9, 12));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void exhaust(String local, String headers) {
    assertEquals(401, login(local, headers));
    assertEquals(401, login(local, headers));
    assertEquals(429, login(local, headers), "the third attempt from one client is over the limit");
  }

  @Test
  @DisplayName("through a trusted proxy each client has its own login limit, whatever it puts left of its address")
  void forwardedClientsAreApart() {
    exhaust(PROXY, "X-Forwarded-For: 198.51.100.7\r\n");
    assertEquals(401, login(PROXY, "X-Forwarded-For: 198.51.100.8\r\n"), "another client behind the same proxy");
    assertEquals(429, login(PROXY, "X-Forwarded-For: 203.0.113.1, 198.51.100.7\r\n"), "a spoofed hop on the left");
    assertEquals(429, login(PROXY, "X-Forwarded-For: 198.51.100.7, 10.1.2.3\r\n"), "behind two trusted proxies");
    assertEquals(429, login(PROXY, "Forwarded: for=198.51.100.7;proto=https\r\n"));
    assertEquals(401, login(PROXY, "Forwarded: for=\"[2001:db8::1]:4711\"\r\n"));
  }

  @Test
  @DisplayName("a peer that is no trusted proxy is the client: its forwarding headers neither dodge nor charge a limit")
  void untrustedPeersAreThemselves() {
    exhaust(STRANGER, "X-Forwarded-For: 198.51.100.50\r\n");
    assertEquals(429, login(STRANGER, "X-Forwarded-For: 198.51.100.51\r\n"), "a new header is no new client");
    assertEquals(429, login(STRANGER, "Forwarded: for=198.51.100.52\r\n"));
    assertEquals(401, login(PROXY, "X-Forwarded-For: 198.51.100.50\r\n"), "the stranger did not use up this client's limit");
  }

  @Test
  @DisplayName("the access log names the client as the proxies tell it")
  void accessLogNamesTheClient() {
    Logger access = (Logger) LoggerFactory.getLogger("liveforum.access");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    Level level = access.getLevel();
    access.setLevel(Level.INFO);
    access.addAppender(lines);
    try {
      assertEquals(401, login(PROXY, "X-Forwarded-For: 192.0.2.44\r\n"));
      assertEquals(401, login("127.0.0.3", "X-Forwarded-For: 192.0.2.45\r\n"));
      // The line is written when the response has gone out, so the client may read its answer first.
      Supplier<List<String>> logged = () -> {
        synchronized (lines) {
          return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
      };
      for (String client : List.of("192.0.2.44", "127.0.0.3")) {
        eventually("the access log names " + client, Duration.ofSeconds(5),
            () -> logged.get().stream().anyMatch(l -> l.startsWith(client + " POST /api/auth/login 401")),
            () -> logged.get().toString());
      }
    } finally {
      access.detachAppender(lines);
      access.setLevel(level);
    }
  }

  @Test
  @DisplayName("a trusted proxy that is no address or block stops the node with a message naming the setting")
  void badEntriesRefused() {
    for (String bad : List.of("proxy.example", "10.0.0.0/33", "10.0.0.0/x")) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> TestServices.config().with(Setting.HTTP_TRUSTED_PROXIES, new JsonArray(List.of(bad))));
      assertTrue(e.getMessage().contains("http.trustedProxies"), e.getMessage());
    }
    Config fine = TestServices.config().with(Setting.HTTP_TRUSTED_PROXIES, new JsonArray(List.of("::1", "fd00::/8")));
    assertEquals(List.of("::1", "fd00::/8"), fine.json().getJsonObject("http").getJsonArray("trustedProxies").getList());
  }
}
