# Builds the production jar and runs it on a JRE. Settings come from the environment
# (see README: LIVEFORUM_PROFILE=prod needs LIVEFORUM_DB_URL, LIVEFORUM_REDIS_URL, LIVEFORUM_JWT_SECRET).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY cluster.xml ./
COPY src src
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/liveforum.jar /app/liveforum.jar
COPY conf /app/conf
COPY cluster.xml /app/cluster.xml
# The search role keeps its index in search.dir (data/search): a directory the server's user may write.
RUN mkdir -p /app/data && chown 10001 /app/data
VOLUME /app/data
ENV LIVEFORUM_PROFILE=prod
EXPOSE 8080 15701
USER 10001
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/liveforum.jar"]
