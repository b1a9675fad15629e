#!/usr/bin/env bash
# Fails when the documentation or the sources point outside the repository (the project
# workspace's ../shared folder is not in a clone), name a docs/ path that does not exist, or
# when a Markdown link in README, HACKING or docs/ leads to a file that is not there.
set -u
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 1

status=0
files=$( { ls README.md HACKING.md 2>/dev/null; find docs src tests -type f \
             \( -name '*.md' -o -name '*.c' -o -name '*.h' -o -name '*.build' -o -name '*.ui' \) 2>/dev/null; } | sort -u)

for file in $files; do
  # The workspace around the repository: a clone does not have it.
  while IFS= read -r hit; do
    echo "$file:$hit: points outside the repository"
    status=1
  done < <(grep -nE '\.\./shared|shared/docs/' "$file" | cut -d: -f1)

  # docs/… as a path of this repository (not the tail of a URL or of another path).
  while IFS=: read -r line path; do
    path=${path#"${path%%docs/*}"}
    path=${path%.}
    if [ ! -e "$path" ]; then
      echo "$file:$line: $path does not exist"
      status=1
    fi
  done < <(grep -noE '(^|[^A-Za-z0-9_./-])docs/[A-Za-z0-9_.*/-]*' "$file")
done

# Relative Markdown links, resolved from the file that holds them.
for file in README.md HACKING.md docs/*.md; do
  [ -f "$file" ] || continue
  dir=$(dirname "$file")
  while IFS=: read -r line target; do
    target=${target#*](}
    target=${target%)}
    target=${target%%#*}
    case $target in
      ''|http://*|https://*|mailto:*) continue ;;
    esac
    if [ ! -e "$dir/$target" ]; then
      echo "$file:$line: the link to $target leads nowhere"
      status=1
    fi
  done < <(grep -noE '\]\([^) ]+\)' "$file")
done

[ $status -eq 0 ] && echo "README, HACKING, docs/ and the sources point only at files of the repository"
exit $status
