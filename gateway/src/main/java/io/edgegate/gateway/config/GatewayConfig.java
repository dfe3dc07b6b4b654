package io.edgegate.gateway.config;

/**
 * The whole configuration: one YAML file, bound by {@link ConfigLoader} and checked by {@link
 * #validate}. Each section documents its keys where they are declared.
 */
public final class GatewayConfig {
  @KeyDoc("Who this gateway is and where it keeps its state.")
  public NodeConfig gateway = new NodeConfig();

  @KeyDoc(
      "The device-facing MQTT 3.1.1/5 listener: address, packet limits, TLS, "
          + "authentication, ACLs, limits, sessions. Security: [security.md](security.md).")
  public MqttConfig mqtt = new MqttConfig();

  @KeyDoc(
      "The Chronicle Queue every event is written to before it is acknowledged: "
          + "durability, group commit, disk limits, retention. See "
          + "[delivery.md](delivery.md).")
  public JournalConfig journal = new JournalConfig();

  @KeyDoc("Where events go: brokers, topics, producer settings, the embedded demo broker.")
  public KafkaConfig kafka = new KafkaConfig();

  @KeyDoc("Memory budgets, retry pacing and delivery mode of the journal → Kafka path.")
  public ForwardConfig forward = new ForwardConfig();

  @KeyDoc(
      "How a journaled MQTT message becomes an event in Kafka: routes, registry, "
          + "schemas, duplicates, lifecycle. Applied again on SIGHUP without a restart. See "
          + "[event-contract.md](event-contract.md).")
  public PipelineConfig pipeline = new PipelineConfig();

  @KeyDoc(
      "The operator's HTTP endpoints: Prometheus metrics (`/metrics`) and health "
          + "(`/health/live`, `/health/ready`), on their own address. See "
          + "[operations.md](operations.md#health).")
  public AdminConfig admin = new AdminConfig();

  @KeyDoc("Commands from Kafka to devices, and their outcomes. See [commands.md](commands.md).")
  public CommandsConfig commands = new CommandsConfig();

  @KeyDoc(
      "How much memory the gateway's JVM gets. Read by the launcher (`bin/edgegate`), "
          + "which turns the profile and the budget into JVM flags before the JVM starts; "
          + "`EDGEGATE_MEMORY_PROFILE` and `EDGEGATE_MEMORY_BUDGET` work there too. See "
          + "[memory.md](memory.md).")
  public MemoryConfig memory = new MemoryConfig();

  /** Adds every problem of every section to {@code problems}. */
  public void validate(Problems problems) {
    gateway.validate(problems);
    mqtt.validate(problems);
    journal.validate(problems);
    kafka.validate(problems);
    forward.validate(problems);
    pipeline.validate(problems);
    admin.validate(problems, mqtt);
    commands.validate(problems);
    memory.validate(problems);
  }
}
