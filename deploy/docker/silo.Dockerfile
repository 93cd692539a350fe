# syntax=docker/dockerfile:1
# A judge silo image for one toolchain pool: the .NET runtime, the silo, the sandbox daemon (judge-sandbox) and exactly
# the Debian packages of deploy/docker/pools/$POOL.packages. Build from the repository root:
#   docker build -f deploy/docker/silo.Dockerfile --build-arg POOL=cpp -t judge-silo-cpp .
# POOL is cpp, jvm, python, rust-go, node, dotnet or all (deploy/docker/README.md: which languages each pool offers, and
# why). The dotnet and all pools get the whole .NET SDK (C# compiles with its csc.dll and reference packs), the others
# only the ASP.NET Core runtime the silo needs.
#
# Microsoft ships no Debian images for .NET 10, so the runtime and the SDK are copied from its Ubuntu images (the same
# portable glibc build) onto Debian bookworm, whose toolchains the judge is tested with. Every base is pinned to an exact
# version tag; deploy/docker/README.md says how to pin digests as well.

ARG POOL=all
FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS dotnet-sdk
FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble AS dotnet-runtime

# ---- the .NET the silo image gets, by pool: the runtime, or the SDK (which holds the same runtime) for C#.
FROM dotnet-runtime AS dotnet-cpp
FROM dotnet-runtime AS dotnet-jvm
FROM dotnet-runtime AS dotnet-python
FROM dotnet-runtime AS dotnet-rust-go
FROM dotnet-runtime AS dotnet-node
FROM dotnet-sdk AS dotnet-dotnet
FROM dotnet-sdk AS dotnet-all
FROM dotnet-${POOL} AS dotnet-pool

# ---- build: dotnet publish, with gcc for the native sandbox daemon and helper the Engine project compiles. On Debian, so
# the daemon links against the same glibc as the image it runs in.
FROM debian:12.11-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet-sdk /usr/share/dotnet /usr/share/dotnet
ENV PATH=/usr/share/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY deploy/sql/ deploy/sql/
COPY src/ src/
# ReadyToRun (precompiled) code for the image's architecture: the silo runs without tiered compilation
# (src/Silo/JudgeHostRuntime.props), so without it every method is compiled, optimized, at its first call, and a silo
# is ready about 2 s later (docs/PERFORMANCE.md, "ReadyToRun in the silo's images").
ARG TARGETARCH
RUN case "${TARGETARCH:-amd64}" in \
      amd64) rid=linux-x64 ;; \
      arm64) rid=linux-arm64 ;; \
      *) echo "no .NET runtime identifier for TARGETARCH '${TARGETARCH}' (amd64 or arm64)" >&2; exit 1 ;; \
    esac \
 && dotnet publish src/Silo/Judge.Silo.csproj -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
      -p:UseAppHost=false -o /out/silo \
 && test -x /out/silo/judge-sandbox && test -x /out/silo/judge-exec

# ---- the silo image
FROM debian:12.11-slim
ARG POOL
# The .NET runtime's own dependencies (as Microsoft's runtime-deps images install them), then the pool's toolchains.
# (default-jdk-headless' setup needs the man directory that slim images leave out.)
COPY deploy/docker/pools/${POOL}.packages /tmp/pool.packages
RUN set -eu \
 && mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 tzdata \
 && sed 's/#.*//' /tmp/pool.packages | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/pool.packages \
 && command -v setpriv
COPY --from=dotnet-pool /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet

# The silo's user (no login shell); the daemon hands the work root to it. /run/judge holds the daemon's socket.
RUN groupadd --system --gid 10001 judge \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/judge --no-create-home --shell /usr/sbin/nologin judge \
 && install -d -m 0755 -o root -g root /run/judge /var/lib/judge

COPY --from=build /out/silo /opt/judge/silo
# The bundled example problems, for a plain `docker run` (the embedded default); fleets read problems from S3.
COPY examples/problems /opt/judge/examples/problems
COPY deploy/docker/entrypoint.sh /usr/local/bin/judge-entrypoint
COPY deploy/docker/healthcheck.sh /usr/local/bin/judge-healthcheck
RUN chmod 0755 /usr/local/bin/judge-entrypoint /usr/local/bin/judge-healthcheck

ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1 \
    Judge__Http__Urls=http://0.0.0.0:8080 \
    Judge__Sandbox__Socket=/run/judge/sandbox.sock \
    Judge__WorkRoot=/var/lib/judge/work \
    JUDGE_POOL=${POOL}
EXPOSE 8080 11111 30000
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 CMD ["/usr/local/bin/judge-healthcheck", "8080"]
# all-in-one (the default) starts as root only to start the daemon; the silo itself runs as judge (10001) through
# setpriv with no capabilities. On Kubernetes the pod runs the modes sandbox and silo in two containers.
ENTRYPOINT ["/usr/local/bin/judge-entrypoint"]
CMD ["all-in-one"]
