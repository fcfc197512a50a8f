package dev.liveforum.support;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A headless Chromium for page tests: Debian's {@code chromium} driven through its {@code chromium-driver}
 * (`.ci/run` installs both), both named by path so Selenium never looks for or downloads a browser or driver.
 * Every wait that times out says what the page showed instead, as a user would have seen it.
 */
public final class Browser implements AutoCloseable {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  /**
   * Selenium warns on every start that it has no CDP bindings for this Chromium; none are used (screenshots go
   * through chromedriver's own CDP command). Held here, as java.util.logging forgets unreferenced loggers' levels.
   */
  private static final Logger CDP_VERSION_WARNING = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

  private final ChromeDriver driver;
  private final Path profile;
  /** The browser log hands out each entry once; what it handed out is kept here. */
  private final List<String> problems = new ArrayList<>();

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  public static Browser desktop() {
    return start(1280, 900, Map.of(), null);
  }

  /** A 375×812 CSS-pixel phone screen at device scale 2, with touch. */
  public static Browser phone() {
    return start(375, 812, Map.of(), Map.of("deviceMetrics",
        Map.of("width", 375, "height", 812, "pixelRatio", 2.0, "mobile", true, "touch", true)));
  }

  /** A desktop browser with JavaScript switched off, as a reader (or crawler) without scripts sees pages. */
  public static Browser withoutJavaScript() {
    return start(1280, 900, Map.of("profile.managed_default_content_settings.javascript", 2), null);
  }

  private static Browser start(int width, int height, Map<String, Object> prefs, Map<String, Object> mobile) {
    if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
      String missing = "browser tests need " + CHROMIUM + " and " + CHROMEDRIVER + ": apt-get install chromium chromium-driver";
      // A developer's machine with only a JDK skips them, saying so; CI (.ci/run installs both) never does.
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(missing);
      }
      Assumptions.abort(missing);
    }
    Path profile = tempProfile();
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--lang=en-US", "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height);
    Map<String, Object> allPrefs = new LinkedHashMap<>(prefs);
    allPrefs.put("intl.accept_languages", "en-US"); // --lang alone leaves Accept-Language to the system on Linux
    options.setExperimentalOption("prefs", allPrefs);
    if (mobile != null) {
      options.setExperimentalOption("mobileEmulation", mobile);
    }
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    try {
      return new Browser(new ChromeDriver(service, options), profile);
    } catch (RuntimeException e) {
      delete(profile);
      throw e;
    }
  }

  public WebDriver driver() {
    return driver;
  }

  public Browser open(String url) {
    driver.get(url);
    return this;
  }

  /** The element once it is visible. */
  public WebElement waitFor(By by, Duration timeout) {
    return waitUntil(ExpectedConditions.visibilityOfElementLocated(by), timeout, "expected to see " + by);
  }

  /** {@code condition}'s first non-null, non-false answer; on timeout an error that starts with {@code messageOnTimeout}. */
  public <T> T waitUntil(Function<WebDriver, T> condition, Duration timeout, String messageOnTimeout) {
    try {
      // A page that navigates or redraws under a check makes the element it found stale: check again.
      return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class).until(condition);
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(messageOnTimeout + " within " + timeout.toMillis() + " ms, but " + seen(), e);
    }
  }

  public String text(By by) {
    return waitFor(by, WAIT).getText();
  }

  public void click(By by) {
    waitUntil(ExpectedConditions.elementToBeClickable(by), WAIT, "expected to be able to click " + by).click();
  }

  public void type(By by, String text) {
    WebElement field = waitFor(by, WAIT);
    field.clear();
    field.sendKeys(text);
  }

  /** Writes {@code target/screenshots/<name>.png}: the whole page, or the viewport if the page cannot be measured. */
  public Path screenshot(String name) {
    byte[] png;
    try {
      Map<String, Object> size = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics", Map.of())
          .get("cssContentSize");
      double height = Math.min(((Number) size.get("height")).doubleValue(), 16_384);
      Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", size.get("width"), "height", height, "scale", 1);
      Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
          Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
      png = Base64.getDecoder().decode((String) shot.get("data"));
    } catch (WebDriverException | ClassCastException | NullPointerException e) {
      png = driver.getScreenshotAs(OutputType.BYTES);
    }
    try {
      Files.createDirectories(SCREENSHOTS);
      return Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every console error since the browser started, and every Content-Security-Policy complaint. Chromium logs a
   * blocked script, style or connection as SEVERE from source "security" (156 words it "Executing inline script
   * violates the following Content Security Policy directive ...", older ones "Refused to ..."), a report-only
   * policy's as a warning.
   */
  public List<String> consoleProblems() {
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue() || e.getMessage().contains("Content Security Policy")) {
        problems.add(e.getLevel() + " " + e.getMessage());
      }
    }
    return List.copyOf(problems);
  }

  public void assertNoConsoleProblems() {
    List<String> found = consoleProblems();
    if (!found.isEmpty()) {
      throw new AssertionError("the browser console at " + driver.getCurrentUrl() + " reported:\n  "
          + String.join("\n  ", found));
    }
  }

  /** What page scripts can read: {@code localStorage.<key>}, {@code sessionStorage.<key>} and {@code document.cookie}. */
  public Map<String, String> storageDump() {
    return (Map<String, String>) driver.executeScript("""
        const dump = {};
        for (const [name, store] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]]) {
          for (let i = 0; i < store.length; i++) dump[name + '.' + store.key(i)] = store.getItem(store.key(i));
        }
        if (document.cookie) dump['document.cookie'] = document.cookie;
        return dump;""");
  }

  /** The page as a user saw it: address, title, the start of its text and any console problems. */
  private String seen() {
    String text;
    try {
      text = driver.findElement(By.tagName("body")).getText().replaceAll("\\s+", " ").strip();
    } catch (WebDriverException e) {
      text = "(no readable body: " + e.getMessage().lines().findFirst().orElse("") + ")";
    }
    String excerpt = text.length() > 600 ? text.substring(0, 600) + " …" : text;
    List<String> console = consoleProblems();
    return "the page at " + driver.getCurrentUrl() + " (title \"" + driver.getTitle() + "\") showed: " + excerpt
        + (console.isEmpty() ? "" : "\nconsole: " + String.join("\n  ", console));
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      delete(profile);
    }
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  private static Path tempProfile() {
    try {
      return Files.createTempDirectory("liveforum-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
