#!/bin/bash
# cloud-init user-data of a silo host in the all pool: every language (the cpp, jvm, python, rust-go, node and dotnet
# pools together: their Debian packages, and the .NET SDK for csharp).
# The silo's toolchain probe finds all of them, and Judge__Toolchains says the same (deploy/ec2/README.md).
set -euo pipefail
JUDGE_ROLE=silo
JUDGE_POOL=all
JUDGE_TOOLCHAINS=cpp17,cpp20,c11,java,kotlin,python3,pypy3,rust,go,javascript,csharp
JUDGE_TOOLCHAIN_PACKAGES=(gcc g++ default-jdk-headless kotlin python3 pypy3 rustc golang-go nodejs)
JUDGE_DOTNET_SDK=1

# ---- bootstrap: the same in every user-data file (tests/Judge.Deploy.Tests compares them) ----
# The AWS CLI and curl, the release artifact (tag judge:artifact, an s3:// URI in the artifacts bucket: silo/,
# ingress/ and deploy/ of one release) unpacked in /opt/judge, then the shared setup from it (common.sh).
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends awscli ca-certificates curl
imds_token=$(curl -fsS --retry 5 -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
imds() { curl -fsS --retry 5 -H "X-aws-ec2-metadata-token: $imds_token" "http://169.254.169.254/latest/meta-data/$1"; }
artifact=$(imds tags/instance/judge:artifact)
aws s3 cp --only-show-errors --region "$(imds placement/region)" "$artifact" /root/judge-release.tar.gz
install -d -m 0755 /opt/judge
tar -xzf /root/judge-release.tar.gz -C /opt/judge --no-same-owner
# shellcheck source-path=SCRIPTDIR source=common.sh
. /opt/judge/deploy/ec2/user-data/common.sh
judge_main
