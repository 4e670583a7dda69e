#!/usr/bin/env bash
# Compiles the CDK app (tsc) and runs its offline template tests with node's test runner.
# Exit 77 (skipped) when node or packaging/aws/node_modules (scripts/setup.sh: npm ci) is missing.
set -euo pipefail
dir="$1"
command -v node >/dev/null || { echo "packaging_aws_cdk skipped: node is not installed"; exit 77; }
[[ -x $dir/node_modules/.bin/tsc && -d $dir/node_modules/aws-cdk-lib ]] ||
  { echo "packaging_aws_cdk skipped: packaging/aws/node_modules missing (run scripts/setup.sh)"; exit 77; }
cd "$dir"
rm -rf dist
node_modules/.bin/tsc -p .
exec node --test dist/test/
