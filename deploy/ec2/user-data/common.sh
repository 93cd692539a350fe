# Judge EC2 bootstrap: what every host does at first boot, sourced by the user-data of its pool
# (deploy/ec2/user-data/{cpp,jvm,python,rust-go,node,dotnet,all,ingress}.sh) from the release artifact, once that is unpacked in /opt/judge.
# The user-data sets JUDGE_ROLE (silo or ingress), and for a silo JUDGE_POOL, JUDGE_TOOLCHAINS (the pool's
# languages) and JUDGE_TOOLCHAIN_PACKAGES (the Debian packages that provide them), then calls judge_main.
# Target: Debian 12 (bookworm) on x86_64 or arm64, run as root by cloud-init. Host facts come from IMDSv2, settings
# from the instance's tags (the launch template's TagSpecifications, InstanceMetadataTags=enabled), secrets from
# Secrets Manager (deploy/ec2/README.md lists the tags and the IAM the instance profile needs).
# shellcheck shell=bash

JUDGE_HOME=${JUDGE_HOME:-/opt/judge}
JUDGE_ETC=${JUDGE_ETC:-/etc/judge}
JUDGE_DEPLOY="$JUDGE_HOME/deploy"
# The .NET runtime, pinned: Microsoft's Debian 12 feed, signed with Microsoft's release key (its fingerprint below).
JUDGE_DOTNET_PACKAGE=aspnetcore-runtime-10.0
JUDGE_DOTNET_VERSION=10.0.12-1
JUDGE_MICROSOFT_KEY_FINGERPRINT=BC528686B50D79E339D3721CEB3E94ADBE1229CF
# The .NET SDK, for the pools whose user-data sets JUDGE_DOTNET_SDK=1 (csharp compiles with its csc.dll and reference
# assemblies): the feed's 1xx band, whose patch matches the runtime above (10.0.1NN ships with runtime 10.0.NN).
JUDGE_DOTNET_SDK_PACKAGE=dotnet-sdk-10.0
JUDGE_DOTNET_SDK_VERSION=10.0.112-1
# The contract's users (deploy/ec2/README.md): the silo and the ingress, no login shell, no capabilities.
JUDGE_SILO_UID=10001
JUDGE_INGRESS_UID=10002
# What programs see of the host, read-only: the same list as LinuxSandboxOptions.DefaultReadOnlyPaths (a test
# compares them); only the paths that exist on this host go to the daemon.
JUDGE_READ_ONLY_PATHS=(/usr /lib /lib64 /lib32 /libx32 /bin /sbin
  /etc/alternatives /etc/java-17-openjdk /etc/java-21-openjdk /etc/ld.so.cache /etc/ld.so.conf
  /etc/ld.so.conf.d /etc/localtime /etc/ssl/certs/java)

judge_log() {
  echo "judge-bootstrap: $*" >&2
}

# judge_imds PATH: GET http://169.254.169.254/latest/PATH with an IMDSv2 session token.
judge_imds() {
  local token
  token=$(curl -fsS --retry 5 -X PUT "http://169.254.169.254/latest/api/token" \
    -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
  curl -fsS --retry 5 -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/$1"
}

# judge_tag NAME [DEFAULT]: the instance tag NAME, or DEFAULT; fails naming the tag when it is missing and no default.
judge_tag() {
  local value
  if value=$(judge_imds "meta-data/tags/instance/$1" 2>/dev/null) && [ -n "$value" ]; then
    printf '%s' "$value"
  elif [ $# -ge 2 ]; then
    printf '%s' "$2"
  else
    judge_log "the instance tag $1 is missing (launch template: TagSpecifications, MetadataOptions.InstanceMetadataTags=enabled)"
    return 1
  fi
}

# judge_secret ID: the secret string of Secrets Manager secret ID.
judge_secret() {
  aws secretsmanager get-secret-value --region "$REGION" --secret-id "$1" --query SecretString --output text
}

judge_apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# The .NET packages of this host, pinned: the ASP.NET Core runtime (it brings the .NET runtime), and the SDK where the
# pool's languages need it (JUDGE_DOTNET_SDK=1).
judge_dotnet_packages() {
  echo "$JUDGE_DOTNET_PACKAGE=$JUDGE_DOTNET_VERSION"
  if [ "${JUDGE_DOTNET_SDK:-0}" = 1 ]; then
    echo "$JUDGE_DOTNET_SDK_PACKAGE=$JUDGE_DOTNET_SDK_VERSION"
  fi
}

# The .NET packages from packages.microsoft.com, at the pinned versions.
judge_install_dotnet() {
  local key=/usr/share/keyrings/microsoft-prod.gpg
  judge_apt_install ca-certificates curl gnupg
  curl -fsSL https://packages.microsoft.com/keys/microsoft.asc | gpg --dearmor --yes -o "$key"
  if ! gpg --show-keys --with-colons "$key" | grep -q "^fpr:::::::::$JUDGE_MICROSOFT_KEY_FINGERPRINT:"; then
    judge_log "packages.microsoft.com's key is not $JUDGE_MICROSOFT_KEY_FINGERPRINT"
    return 1
  fi
  echo "deb [signed-by=$key] https://packages.microsoft.com/debian/12/prod bookworm main" \
    > /etc/apt/sources.list.d/microsoft-prod.list
  apt-get update -qq
  local packages
  mapfile -t packages < <(judge_dotnet_packages)
  judge_apt_install "${packages[@]}"
}

# The pool's toolchains: exactly the packages of its languages (the silo's probe then offers them).
judge_install_toolchains() {
  if [ "${#JUDGE_TOOLCHAIN_PACKAGES[@]}" -gt 0 ]; then
    judge_apt_install "${JUDGE_TOOLCHAIN_PACKAGES[@]}"
  fi
}

# Never follow a link planted by another user (deploy/sandbox/99-judge.conf).
judge_sysctls() {
  install -m 0644 "$JUDGE_DEPLOY/sandbox/99-judge.conf" /etc/sysctl.d/99-judge.conf
  sysctl -q --load=/etc/sysctl.d/99-judge.conf
}

# judge_user NAME UID HOME: a system user and group with the same id, no login shell.
judge_user() {
  getent group "$1" >/dev/null || groupadd --system --gid "$2" "$1"
  getent passwd "$1" >/dev/null ||
    useradd --system --uid "$2" --gid "$2" --home-dir "$3" --no-create-home --shell /usr/sbin/nologin "$1"
}

# judge_render_env TEMPLATE OUTPUT: the template with each @NAME@ replaced by the value of the variable NAME (set,
# possibly empty); lines whose value is then empty are left out. Values are double-quoted for systemd
# (EnvironmentFile=), with \ " $ ` escaped.
judge_render_env() {
  local template=$1 output=$2 line key rest value name
  : > "$output"
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in '' | '#'*) continue ;; esac
    key=${line%%=*}
    rest=${line#*=}
    value=
    # Left to right, so that a substituted value (a password) is never scanned for placeholders itself.
    while [[ $rest =~ @([A-Z_][A-Z0-9_]*)@ ]]; do
      name=${BASH_REMATCH[1]}
      if [ -z "${!name+set}" ]; then
        judge_log "$template: @$name@ has no value (variable $name is not set)"
        return 1
      fi
      value+=${rest%%"@$name@"*}${!name}
      rest=${rest#*"@$name@"}
    done
    value+=$rest
    [ -n "$value" ] || continue
    value=${value//\\/\\\\}
    value=${value//\"/\\\"}
    value=${value//\$/\\\$}
    value=${value//\`/\\\`}
    printf '%s="%s"\n' "$key" "$value" >> "$output"
  done < "$template"
}

# judge_sandbox_env OUTPUT: the daemon's pool size and the --ro-bind flags of the read-only paths this host has.
judge_sandbox_env() {
  local output=$1 path binds=()
  for path in "${JUDGE_READ_ONLY_PATHS[@]}"; do
    [ -e "$path" ] && binds+=(--ro-bind "$path")
  done
  {
    echo "JUDGE_SANDBOX_POOL=$((3 * SLOTS + 1))"
    echo "JUDGE_SANDBOX_RO_BINDS=${binds[*]}"
  } > "$output"
}

# CONNECTION_STRING from the RDS secret (JSON: host, port, username, password, dbname), TLS required.
judge_connection_string() {
  judge_secret "$(judge_tag judge:db-secret)" | jq -r '
    def quoted: "\u0027" + gsub("\u0027"; "\u0027\u0027") + "\u0027";
    "Host=\(.host);Port=\(.port // 5432);Database=\(.dbname // "judge");Username=\(.username);Password=\(.password | quoted);SSL Mode=Require"'
}

judge_install_units() {
  local unit
  for unit in "$@"; do
    install -m 0644 "$JUDGE_DEPLOY/ec2/systemd/$unit" "/etc/systemd/system/$unit"
  done
  systemctl daemon-reload
  systemctl enable --now "$@"
}

# The release artifact is already in /opt/judge (the user-data unpacked it): silo/, ingress/ and deploy/.
# shellcheck disable=SC2034 # the templates' @NAME@ values: judge_render_env reads them through ${!name}
judge_setup_silo() {
  judge_install_toolchains
  judge_sysctls
  judge_user judge "$JUDGE_SILO_UID" /var/lib/judge
  install -d -m 0750 -o judge -g judge /var/lib/judge
  install -d -m 0755 "$JUDGE_ETC"

  PRIVATE_IP=$(judge_imds meta-data/local-ipv4)
  CLUSTER_ID=$(judge_tag judge:cluster-id judge)
  SERVICE_ID=$(judge_tag judge:service-id judge)
  PROBLEMS_BUCKET=$(judge_tag judge:problems-bucket)
  RESULTS_QUEUE_URL=$(judge_tag judge:results-queue-url "")
  CONNECTION_STRING=$(judge_connection_string)
  local auth
  auth=$(judge_secret "$(judge_tag judge:auth-secret)")
  API_KEY_SHA256=$(jq -r .apiKeySha256 <<<"$auth")
  COOKIE_SECRET=$(jq -r .cookieSecret <<<"$auth")
  TOOLCHAINS=$JUDGE_TOOLCHAINS
  SLOTS=$(nproc)

  judge_render_env "$JUDGE_DEPLOY/ec2/judge.env.example" "$JUDGE_ETC/judge.env"
  chown root:judge "$JUDGE_ETC/judge.env"
  chmod 0640 "$JUDGE_ETC/judge.env"
  judge_sandbox_env "$JUDGE_ETC/sandbox.env"
  judge_lifecycle_env
  judge_install_units judge-sandbox.service judge-silo.service judge-lifecycle.service
}

# shellcheck disable=SC2034 # the template's @NAME@ values: judge_render_env reads them through ${!name}
judge_setup_ingress() {
  judge_user judge-ingress "$JUDGE_INGRESS_UID" /nonexistent
  install -d -m 0755 "$JUDGE_ETC"
  CLUSTER_ID=$(judge_tag judge:cluster-id judge)
  SERVICE_ID=$(judge_tag judge:service-id judge)
  SUBMISSIONS_QUEUE_URL=$(judge_tag judge:submissions-queue-url)
  CONNECTION_STRING=$(judge_connection_string)
  judge_render_env "$JUDGE_DEPLOY/ec2/judge-ingress.env.example" "$JUDGE_ETC/judge-ingress.env"
  chown root:judge-ingress "$JUDGE_ETC/judge-ingress.env"
  chmod 0640 "$JUDGE_ETC/judge-ingress.env"
  judge_lifecycle_env
  judge_install_units judge-ingress.service judge-lifecycle.service
}

# The drain helper's settings: the Auto Scaling group's termination hook (tag judge:lifecycle-hook).
judge_lifecycle_env() {
  {
    echo "JUDGE_LIFECYCLE_HOOK=$(judge_tag judge:lifecycle-hook judge-drain)"
    echo "AWS_DEFAULT_REGION=$REGION"
  } > "$JUDGE_ETC/lifecycle.env"
}

judge_main() {
  REGION=$(judge_imds meta-data/placement/region)
  judge_apt_install jq
  judge_install_dotnet
  case ${JUDGE_ROLE:?the user-data sets JUDGE_ROLE (silo or ingress)} in
    silo) judge_setup_silo ;;
    ingress) judge_setup_ingress ;;
    *) judge_log "JUDGE_ROLE must be silo or ingress, not '$JUDGE_ROLE'"; return 1 ;;
  esac
  judge_log "$JUDGE_ROLE${JUDGE_POOL:+ ($JUDGE_POOL)} is set up"
}
