package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.NodeProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static dev.liveforum.support.Forum.unique;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the development run offers the network: nothing beyond this machine, and no secret anyone knows. */
@DisplayName("The dev profile's defaults")
class DevDefaultsIT {

  @Test
  @DisplayName("dev without settings listens on loopback only and signs with a random secret kept in its data folder")
  void loopbackAndOwnSecret() throws Exception {
    Path dataDir = Files.createTempDirectory("liveforum-dev-data");
    Map<String, String> env = NodeProcess.production("unused");
    env.remove(Setting.JWT_SECRET.env());
    env.put(Setting.PROFILE.env(), "dev");
    env.put(Setting.DEV_DATA_DIR.env(), dataDir.toString());
    try (NodeProcess node = NodeProcess.start("dev-defaults", env)) {
      node.awaitReady();
      Path secretFile = dataDir.resolve("jwt-secret");
      assertTrue(Files.exists(secretFile), node.output());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)));
      String secret = Files.readString(secretFile).trim();
      assertTrue(secret.length() >= 32, "a secret of 32 random bytes");

      InetAddress outside = nonLoopbackAddress();
      assumeTrue(outside != null, "this machine has no address but loopback");
      for (int port : new int[] {node.port, node.bridgePort}) {
        assertThrows(ConnectException.class, () -> connect(outside, port), "port " + port + " on " + outside);
        connect(InetAddress.getLoopbackAddress(), port);
      }

      Api api = new Api(node.port);
      String name = unique("devuser");
      String token = new Forum(api).register(name).token();
      Vertx vertx = Vertx.vertx();
      try {
        // The node signs with the secret in the file...
        JsonObject claims = signedWith(vertx, secret).authenticate(new TokenCredentials(token)).await().principal();
        long userId = Long.parseLong(claims.getString("sub"));
        // ...and a token signed with the published development secret is worth nothing, admin claims or not.
        String forged = signedWith(vertx, Config.PUBLISHED_DEV_SECRET).generateToken(new JsonObject()
                .put("typ", "access").put("sid", claims.getString("sid")).put("role", "admin").put("username", name),
            new JWTOptions().setSubject(String.valueOf(userId)).setExpiresInSeconds(600));
        assertProblem(api.get("/api/stats/summary", forged), 401, "access token");
        assertProblem(api.get("/api/users/me", forged), 401, "access token");
      } finally {
        vertx.close().await();
      }
      node.stop();
    }
  }

  private static JWTAuth signedWith(Vertx vertx, String secret) {
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
        .setBuffer(secret)));
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 5000);
    }
  }

  private static InetAddress nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : nic.inetAddresses().toList()) {
          if (address instanceof Inet4Address) {
            return address;
          }
        }
      }
    }
    return null;
  }
}
