package io.edgegate.gateway.config;

/**
 * The whole configuration: one YAML file, bound by {@link ConfigLoader} and checked by {@link
 * #validate}. Each section documents its keys where they are declared.
 */
public final class GatewayConfig {
  public NodeConfig gateway = new NodeConfig();
  public MqttConfig mqtt = new MqttConfig();
  public JournalConfig journal = new JournalConfig();
  public KafkaConfig kafka = new KafkaConfig();
  public ForwardConfig forward = new ForwardConfig();
  public PipelineConfig pipeline = new PipelineConfig();
  public AdminConfig admin = new AdminConfig();
  public CommandsConfig commands = new CommandsConfig();
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
