package io.edgegate.gateway.ingest.limits;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.vertx.core.impl.buffer.VertxByteBufAllocator;

/**
 * Keeps the MQTT decoder's buffer one read long. Netty's decoder cumulates what a connection reads
 * and hands each PUBLISH payload on as a retained slice of that buffer; it trims the bytes already
 * decoded only every 16 reads, and only while no slice of them lives. vertx-mqtt copies a payload
 * out only when the packet reaches its handler, so the packets of a paused connection (journal
 * backpressure, rate limit), waiting in Vert.x's inbound queue, kept the buffer from being trimmed
 * at all. Under a QoS 0 flood each connection's buffer grew to megabytes of direct memory, and 100
 * devices (48 at 16 MiB, {@code QosZeroFloodIT}) exhausted {@code MaxDirectMemorySize}: their
 * connections failed with OutOfMemoryError. Both halves are needed, and both are here: the payload
 * is copied as soon as the packet is decoded, and the decoder trims after every read.
 *
 * <p>The copy is the one vertx-mqtt would have made (it keeps Vert.x's own heap buffers as they
 * are, and {@code PublishToEvent} takes their array without another), so an event still costs one
 * copy; trimming moves at most the start of one packet per read. A handler per channel, <b>confined
 * to the channel's event loop</b> like every Netty handler.
 */
final class HeapPayloads extends ChannelInboundHandlerAdapter {
  private HeapPayloads() {}

  /**
   * Puts the copy right after vertx-mqtt's decoder, and has the decoder trim after every read (a
   * packet that straddles two reads leaves its start behind the bytes already decoded, and the next
   * read is appended there: without a trim, 16 reads of 64 KiB made a 1 MiB buffer).
   */
  static void install(ChannelPipeline p) {
    if (p.get("mqttDecoder") instanceof ByteToMessageDecoder decoder) {
      decoder.setDiscardAfterReads(1);
    }
    p.addAfter("mqttDecoder", "edgegateHeapPayloads", new HeapPayloads());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof MqttPublishMessage p && p.decoderResult().isSuccess()) {
      ByteBuf in = p.content();
      ByteBuf heap = VertxByteBufAllocator.DEFAULT.heapBuffer(in.readableBytes());
      heap.writeBytes(in, in.readerIndex(), in.readableBytes());
      MqttPublishMessage copy = p.replace(heap);
      p.release();
      msg = copy;
    }
    ctx.fireChannelRead(msg);
  }
}
