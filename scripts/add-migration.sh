#!/usr/bin/env bash
# Adds a migration with the same name to both providers' migrations assemblies.
# Usage: scripts/add-migration.sh <Name>
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/add-migration.sh <Name>}
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  project=src/ScraperSky.Data.$provider
  dotnet ef migrations add "$name" --project "$project" --startup-project "$project" --output-dir Migrations
done
