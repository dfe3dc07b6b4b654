# EdgeGate container image. Two stages: a Maven build of the distribution, then a JRE 17 runtime
# that exists for linux/amd64 and linux/arm64 (Raspberry Pi 4/5 on a 64-bit OS).
#   docker buildx build --platform linux/amd64,linux/arm64 -t edgegate .
#   docker run -d --name edgegate -p 1883:1883 -p 8080:8080 -v edgegate-data:/var/lib/edgegate \
#     -e EDGEGATE_KAFKA_BOOTSTRAP_SERVERS=kafka:9092 --stop-timeout 60 edgegate

# The build output is plain jars, the same on every platform: build once on the builder's own
# platform rather than under emulation for each target.
FROM --platform=$BUILDPLATFORM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The product only (gateway module): the embedded broker is for the demo and tests.
RUN mvn -B -q -DskipTests -Dspotless.check.skip -pl gateway -am package \
 && mkdir -p /out/opt/edgegate /out/etc \
 && tar -xzf gateway/target/edgegate-*.tar.gz -C /out/opt/edgegate --strip-components=1 \
 && cp -r /out/opt/edgegate/config /out/etc/edgegate

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /var/lib/edgegate --create-home --shell /usr/sbin/nologin edgegate
COPY --from=build /out/ /
USER edgegate
# The journal lives on the volume: it is what makes an acknowledged event survive a restart.
VOLUME /var/lib/edgegate
WORKDIR /var/lib/edgegate
# bin/edgegate adds the JVM flags the journal needs (Chronicle Queue on JDK 17+) and turns its
# analytics off, and sizes the JVM from memory.profile and memory.budget (docs/memory.md): without
# a budget, at most three quarters of the container's memory limit. JAVA_OPTS adds to them: exit on
# OutOfMemoryError (a restart resumes from the journal; a JVM limping on does not), and JNA's native
# library unpacked where the non-root user can write. A heap flag here would override the profile.
ENV JAVA_OPTS="-XX:+ExitOnOutOfMemoryError -Djna.tmpdir=/var/lib/edgegate/.jna"
# The launcher keeps its class data sharing archive (faster starts) on the volume.
ENV EDGEGATE_CDS_DIR="/var/lib/edgegate/cds"
# Inside a container the admin endpoint must listen on every interface to be published at all
# (production.yaml binds it to 127.0.0.1 for a host install); publish it only where it is wanted, and
# set admin.auth (docs/security.md) on a network others share.
ENV EDGEGATE_ADMIN_HOST="0.0.0.0"
# MQTT for devices; the admin endpoints (/metrics, /health/live, /health/ready) for operators.
EXPOSE 1883 8883 8080
# curl is part of the eclipse-temurin Ubuntu images. Ready means devices may send: a Kafka outage
# keeps it healthy (the journal buffers). The port follows EDGEGATE_ADMIN_PORT when that is set.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${EDGEGATE_ADMIN_PORT:-8080}/health/ready" || exit 1
# SIGTERM stops cleanly (in-flight sends get forward.closeTimeout, 10s by default): give
# `docker stop` more than its default 10s, e.g. --stop-timeout 60. A second SIGTERM exits at once.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/edgegate/bin/edgegate"]
CMD ["run", "--config", "/etc/edgegate/production.yaml"]
