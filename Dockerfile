# One image for every service; the command picks the service (gateway, run-worker, ...).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install
# The embedded Postgres binaries serve only dev, demo and tests (a service in the image is given
# DATABASE_URL): they stay out of the image.
RUN rm -f launcher/target/lib/embedded-postgres-binaries-*.jar

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/launcher/target/sessionflow.jar /app/sessionflow.jar
COPY --from=build /src/launcher/target/lib /app/lib
ENTRYPOINT ["java", "-jar", "/app/sessionflow.jar"]
CMD ["help"]
