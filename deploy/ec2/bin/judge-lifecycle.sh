#!/bin/bash
# judge-lifecycle.service: drains this host before its Auto Scaling group terminates it.
# Polls IMDSv2 meta-data/autoscaling/target-lifecycle-state (every JUDGE_LIFECYCLE_POLL_SECONDS, 5 s); when it says
# "Terminated" (the group's termination hook holds the instance in Terminating:Wait), stops the judge units
# (SIGTERM: the silo drains and leaves the cluster, the ingress stops receiving), then completes the lifecycle action
# (CONTINUE) so that the instance ends at once instead of waiting for the hook's heartbeat timeout.
# Needs: JUDGE_LIFECYCLE_HOOK (the hook's name) and AWS_DEFAULT_REGION (/etc/judge/lifecycle.env); the instance
# profile may autoscaling:CompleteLifecycleAction and autoscaling:DescribeAutoScalingInstances.
# JUDGE_IMDS_ENDPOINT overrides http://169.254.169.254 (tests).
set -euo pipefail

hook=${JUDGE_LIFECYCLE_HOOK:?JUDGE_LIFECYCLE_HOOK (the termination lifecycle hook name) is not set}
interval=${JUDGE_LIFECYCLE_POLL_SECONDS:-5}
endpoint=${JUDGE_IMDS_ENDPOINT:-http://169.254.169.254}
units=(judge-silo.service judge-ingress.service)

imds() {
  local token
  token=$(curl -fsS --max-time 10 -X PUT "$endpoint/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 60") || return 1
  curl -fsS --max-time 10 -H "X-aws-ec2-metadata-token: $token" "$endpoint/latest/meta-data/$1"
}

# Not in an Auto Scaling group (or before the group has set the state): the path answers 404; keep polling.
until [ "$(imds autoscaling/target-lifecycle-state 2>/dev/null || true)" = "Terminated" ]; do
  sleep "$interval"
done

echo "judge-lifecycle: the Auto Scaling group is terminating this instance: draining ${units[*]}" >&2
# systemctl stop waits until each unit has stopped: for the silo, until its drain and leave are done.
systemctl stop "${units[@]}"

instance=$(imds instance-id)
group=$(aws autoscaling describe-auto-scaling-instances --instance-ids "$instance" \
  --query 'AutoScalingInstances[0].AutoScalingGroupName' --output text)
aws autoscaling complete-lifecycle-action --lifecycle-hook-name "$hook" --auto-scaling-group-name "$group" \
  --instance-id "$instance" --lifecycle-action-result CONTINUE
echo "judge-lifecycle: drained; lifecycle action $hook completed for $instance in $group" >&2
