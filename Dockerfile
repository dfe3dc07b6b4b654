# EdgeGate container image: a Maven build stage, then a JRE 17 runtime (both multi-arch:
# linux/amd64 and linux/arm64).
#   docker buildx build --platform linux/amd64,linux/arm64 -t edgegate .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY .mvn .mvn
COPY gateway gateway
COPY embedded-kafka embedded-kafka
COPY integration-tests integration-tests
COPY device-simulator device-simulator
COPY benchmarks benchmarks
# The product only: the embedded broker is for the demo and tests.
RUN mvn -B -q -DskipTests -pl gateway -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /var/lib/edgegate --create-home --shell /usr/sbin/nologin edgegate \
 && mkdir -p /opt/edgegate/lib /opt/edgegate/bin /etc/edgegate
COPY --from=build /src/gateway/target/edgegate-gateway.jar /src/gateway/target/lib/ /opt/edgegate/lib/
COPY bin/edgegate /opt/edgegate/bin/edgegate
COPY config/ /etc/edgegate/
USER edgegate
# The journal lives on the volume: it is what makes an acknowledged event survive a restart.
VOLUME /var/lib/edgegate
WORKDIR /var/lib/edgegate
# JNA (used by the journal) unpacks a native library under the user's home: keep it writable.
ENV JAVA_OPTS="-Djna.tmpdir=/var/lib/edgegate/.jna"
EXPOSE 1883
ENTRYPOINT ["/opt/edgegate/bin/edgegate"]
CMD ["run", "--config", "/etc/edgegate/production.yaml"]
