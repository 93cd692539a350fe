# syntax=docker/dockerfile:1
# The SQS ingress image: the .NET runtime and the ingress (an Orleans client of the silo cluster), run as judge-ingress
# (uid 10002). No toolchains, no sandbox daemon. Build from the repository root:
#   docker build -f deploy/docker/ingress.Dockerfile -t judge-ingress .
# Base images as in silo.Dockerfile (Microsoft ships no Debian images for .NET 10).

FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS dotnet-sdk
FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble AS dotnet-runtime

FROM debian:12.11-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet-sdk /usr/share/dotnet /usr/share/dotnet
ENV PATH=/usr/share/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet publish src/Ingress/Judge.Ingress.csproj -c Release -o /out/ingress -p:UseAppHost=false

FROM debian:12.11-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 tzdata \
 && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet-runtime /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && groupadd --system --gid 10002 judge-ingress \
 && useradd --system --uid 10002 --gid 10002 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin judge-ingress
COPY --from=build /out/ingress /opt/judge/ingress
COPY deploy/docker/healthcheck.sh /usr/local/bin/judge-healthcheck
RUN chmod 0755 /usr/local/bin/judge-healthcheck

ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1 \
    Judge__Http__Urls=http://0.0.0.0:8081
USER 10002:10002
EXPOSE 8081
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["/usr/local/bin/judge-healthcheck", "8081"]
ENTRYPOINT ["dotnet", "/opt/judge/ingress/Judge.Ingress.dll"]
