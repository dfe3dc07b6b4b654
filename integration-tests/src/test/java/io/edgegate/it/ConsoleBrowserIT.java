package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console page in a real browser (headless Chromium, Debian's {@code chromium} and {@code
 * chromium-driver}, installed by {@code integration-tests/console/install-browser}): it loads with
 * no browser console error under its Content-Security-Policy, lists the devices that connected over
 * MQTT, shows the backlog rise while Kafka is stopped and fall once it is back, lists a dead letter
 * with its reason, shows device-controlled text as text, and answers "where is my event?". Skipped
 * with a message where no browser is installed. Saves the screenshots docs/console.md shows.
 */
@ExtendWith(GatewayHygiene.class)
// The test dead-letters a record larger than Kafka takes and stops Kafka for a while.
@ExpectedLogs({
  "^Kafka refused event \\p{XDigit}+ for good \\(org\\.apache\\.kafka\\.common\\.errors\\.RecordTooLargeException",
  ExpectedLogs.KAFKA_SEND_FAILED,
  ExpectedLogs.KAFKA_STALLED
})
class ConsoleBrowserIT {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String DRIVER = "/usr/bin/chromedriver";

  /** A topic a device chose: markup that must stay text on the page. */
  private static final String HOSTILE_TOPIC = "devices/dev-1/<img src=x onerror=window.owned=1>";

  @TempDir Path dir;

  @Test
  void thePageShowsDevicesTheBacklogOfAnOutageAndADeadLetterWithoutErrors() throws Exception {
    assumeTrue(
        new File(CHROMIUM).canExecute() && new File(DRIVER).canExecute(),
        "no headless browser: "
            + CHROMIUM
            + " and "
            + DRIVER
            + " are not installed (Debian's"
            + " chromium and chromium-driver; integration-tests/console/install-browser installs"
            + " them as root)");
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      config.mqtt.maxMessageSize = 64 * 1024; // MQTT takes it ...
      config.kafka.producer.put("max.request.size", "4000"); // ... Kafka (this producer) will not
      try (TestGateway gw = TestGateway.start(config);
          Device d1 = Device.connect("dev-1", gw.mqttPort());
          Device d2 = Device.connect("sensor-7", gw.mqttPort());
          Device d3 = Device.connect("meter-42", gw.mqttPort())) {
        for (Device d : List.of(d1, d2, d3)) {
          d.publish(0, 20, MqttQos.AT_LEAST_ONCE, 20).get(30, TimeUnit.SECONDS);
        }
        // Kafka refuses it for good: a dead letter, from a topic the device made up.
        d1.client
            .publishWith()
            .topic(HOSTILE_TOPIC)
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(Device.payload("dev-1", 99, 20_000))
            .send()
            .get(30, TimeUnit.SECONDS);

        WebDriver browser = browser();
        try {
          WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
          browser.get("http://127.0.0.1:" + gw.gateway.adminPort() + "/");
          wait.until(b -> text(b, "t-devices").equals("3"));
          wait.until(b -> text(b, "devices").contains("sensor-7"));
          assertThat(text(browser, "devices")).contains("dev-1", "meter-42", "sensor-7");
          wait.until(b -> text(b, "deadletters").contains("record-too-large"));
          String letters = text(browser, "deadletters");
          assertThat(letters).contains("record-too-large", "dev-1", HOSTILE_TOPIC);
          assertThat(browser.findElements(By.cssSelector("#deadletters img")))
              .as("a device's topic is shown as text, never as markup")
              .isEmpty();
          assertThat(((JavascriptExecutor) browser).executeScript("return window.owned")).isNull();
          wait.until(b -> text(b, "dlreasons").contains("record-too-large"));
          wait.until(b -> text(b, "t-backlog").equals("0"));
          screenshot(browser, null, "console-overview.png");
          screenshot(browser, "devices-section", "console-devices.png");
          screenshot(browser, "deadletters-section", "console-deadletters.png");

          // Where is my event? The dead letter's id, traced from the page.
          String eventId =
              browser
                  .findElement(By.cssSelector("#deadletters tr:first-child td:nth-child(5)"))
                  .getText();
          WebElement box = browser.findElement(By.id("trace-id"));
          box.sendKeys(eventId);
          browser.findElement(By.cssSelector("#trace-form button")).click();
          wait.until(b -> text(b, "trace-fate").contains("dead lettered"));
          assertThat(text(browser, "trace-out")).contains(eventId, "record-too-large");

          // An outage: the backlog rises on the page while Kafka is away, and drains after.
          kafka.stop();
          d2.publish(100, 200, MqttQos.AT_LEAST_ONCE, 20).get(60, TimeUnit.SECONDS);
          assertThat(d2.acked).as("acknowledged from the journal").hasSize(220);
          wait.until(b -> backlog(b) >= 200);
          wait.until(b -> text(b, "kafka").contains("unavailable"));
          screenshot(browser, null, "console-outage.png");
          kafka.startAgain();
          new WebDriverWait(browser, Duration.ofSeconds(120))
              .until(b -> text(b, "t-backlog").equals("0"));
          assertThat(text(browser, "kafka")).contains("available");

          List<LogEntry> errors =
              browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                  .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                  .collect(Collectors.toList());
          assertThat(errors).as("browser console errors").isEmpty();
        } finally {
          browser.quit();
        }
      }
    }
  }

  private static WebDriver browser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // root in a container has no user namespace for the sandbox
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,1600");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).build();
    try {
      return new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      assumeTrue(
          false,
          "headless Chromium did not start: "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
      throw e;
    }
  }

  private static String text(WebDriver b, String id) {
    return b.findElement(By.id(id)).getText();
  }

  /** The backlog tile as a number (it shows 12.3k above ten thousand). */
  private static long backlog(WebDriver b) {
    String t = text(b, "t-backlog");
    try {
      return t.endsWith("k")
          ? (long) (Double.parseDouble(t.replace("k", "")) * 1000)
          : Long.parseLong(t);
    } catch (NumberFormatException e) {
      return -1; // not measured yet
    }
  }

  /** A PNG of the page (or of one section) into docs/, which docs/console.md shows. */
  private static void screenshot(WebDriver b, String sectionId, String name) throws Exception {
    byte[] png =
        sectionId == null
            ? ((ChromeDriver) b).getScreenshotAs(OutputType.BYTES)
            : b.findElement(By.id(sectionId)).getScreenshotAs(OutputType.BYTES);
    Path docs = Path.of("").toAbsolutePath().resolveSibling("docs");
    Path out = Files.isDirectory(docs) ? docs.resolve(name) : Path.of("target").resolve(name);
    Files.write(out, png);
  }
}
