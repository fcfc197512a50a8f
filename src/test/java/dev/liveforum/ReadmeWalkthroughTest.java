package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the README's curl walk-through against a real node, so the documented commands cannot drift
 * from the API. It understands exactly the shell the block uses: curl with -s, -X, -H and -d, quoting,
 * $VARIABLES, and {@code VAR=$(curl … | jq -r PATH)} with PATH like {@code .a.b} or {@code .items[0].id}.
 */
@DisplayName("The README walk-through")
class ReadmeWalkthroughTest {
  private static final Pattern CAPTURE = Pattern.compile("^(\\w+)=\\$\\((.*)\\|\\s*jq -r\\s+'?([^')]+)'?\\)$");
  private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)");

  @Test
  @DisplayName("every command of the curl walk-through succeeds, in order, against a running node")
  void walkthrough() throws Exception {
    List<String> commands = commands(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8));
    assertTrue(commands.size() >= 8, "the walk-through has its commands: " + commands);
    Map<String, String> vars = new HashMap<>();
    try (TestNode node = TestNode.start()) {
      Api api = new Api(node.port);
      for (String command : commands) {
        Matcher capture = CAPTURE.matcher(command);
        String curl = capture.matches() ? capture.group(2).trim() : command;
        Api.Response r = run(api, node.port, tokens(curl, vars));
        assertTrue(r.status() >= 200 && r.status() < 300, command + "\n  -> " + r);
        if (capture.matches()) {
          String value = jq(r.json(), capture.group(3).trim());
          assertFalse(value == null || value.equals("null"), command + " gave no " + capture.group(3));
          vars.put(capture.group(1), value);
        }
      }
      JsonObject post = api.get("/api/posts/" + vars.get("POST")).json();
      assertEquals("Hello LiveForum", post.getString("title"));
      assertEquals(1, post.getInteger("commentCount"));
      assertEquals(1, post.getInteger("likeCount"));
    }
  }

  /** The commands of the block after the walk-through marker, continuation lines joined. */
  private static List<String> commands(String readme) {
    int marker = readme.indexOf("<!-- walkthrough");
    assertTrue(marker >= 0, "README.md has the walk-through marker");
    int start = readme.indexOf("```bash\n", marker) + 8;
    String block = readme.substring(start, readme.indexOf("```", start));
    List<String> commands = new ArrayList<>();
    for (String line : block.replace("\\\n", " ").split("\n")) {
      if (!line.isBlank() && !line.trim().startsWith("#")) {
        commands.add(line.trim());
      }
    }
    return commands;
  }

  private static Api.Response run(Api api, int port, List<String> args) {
    assertEquals("curl", args.get(0));
    HttpMethod method = null;
    String url = null;
    String body = null;
    String token = null;
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 1; i < args.size(); i++) {
      switch (args.get(i)) {
        case "-s" -> { }
        case "-X" -> method = HttpMethod.valueOf(args.get(++i));
        case "-d" -> body = args.get(++i);
        case "-H" -> {
          String[] header = args.get(++i).split(":\\s*", 2);
          if (header[0].equalsIgnoreCase("Authorization")) {
            token = header[1].replaceFirst("^Bearer ", "");
          } else {
            headers.add(header[0], header[1]);
          }
        }
        default -> url = args.get(i);
      }
    }
    assertTrue(url != null && url.startsWith("localhost:8080/"), "a URL on localhost:8080: " + args);
    if (method == null) {
      method = body == null ? HttpMethod.GET : HttpMethod.POST;
    }
    String path = url.substring("localhost:8080".length());
    return api.send(method, path, token, headers, body == null ? null : Buffer.buffer(body));
  }

  /** Splits a command line as a POSIX shell would for the constructs the walk-through uses. */
  static List<String> tokens(String line, Map<String, String> vars) {
    List<String> out = new ArrayList<>();
    StringBuilder current = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        if (current != null) {
          out.add(current.toString());
          current = null;
        }
        continue;
      }
      if (current == null) {
        current = new StringBuilder();
      }
      if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        current.append(line, i + 1, end);
        i = end;
      } else if (c == '"') {
        StringBuilder quoted = new StringBuilder();
        for (i++; line.charAt(i) != '"'; i++) {
          if (line.charAt(i) == '\\' && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
            i++;
          }
          quoted.append(line.charAt(i));
        }
        current.append(expand(quoted.toString(), vars));
      } else {
        int end = i;
        while (end < line.length() && !Character.isWhitespace(line.charAt(end)) && line.charAt(end) != '\''
            && line.charAt(end) != '"') {
          end++;
        }
        current.append(expand(line.substring(i, end), vars));
        i = end - 1;
      }
    }
    if (current != null) {
      out.add(current.toString());
    }
    return out;
  }

  private static String expand(String text, Map<String, String> vars) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      assertTrue(vars.containsKey(m.group(1)), "$" + m.group(1) + " is set by an earlier command");
      m.appendReplacement(sb, Matcher.quoteReplacement(vars.get(m.group(1))));
    }
    return m.appendTail(sb).toString();
  }

  private static String jq(Object json, String path) {
    Object node = json;
    Matcher step = Pattern.compile("\\.(\\w+)|\\[(\\d+)]").matcher(path);
    while (step.find()) {
      node = step.group(1) != null ? ((JsonObject) node).getValue(step.group(1))
          : ((JsonArray) node).getValue(Integer.parseInt(step.group(2)));
    }
    return String.valueOf(node);
  }
}
