# Sourced by scripts/run and scripts/test: install Spinewise into .venv (editable) only when
# it is not installed yet or pyproject.toml has changed since, so that later starts are quick
# and need no network. A stamp in .venv records pyproject.toml's hash for each set of extras.
#   ensure_installed ""      the app
#   ensure_installed test    the app and what the tests need
ensure_installed() {
  local extras="$1" stamp hash spec
  [ -x .venv/bin/python ] || python3 -m venv .venv
  hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
  stamp=".venv/.spinewise-installed${extras:+-$extras}"
  if [ -x .venv/bin/spinewise ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
    return 0
  fi
  # The test extras include everything the app needs.
  if [ -z "$extras" ] && [ "$(cat .venv/.spinewise-installed-test 2>/dev/null)" = "$hash" ] &&
    [ -x .venv/bin/spinewise ]; then
    return 0
  fi
  spec="."
  [ -n "$extras" ] && spec=".[$extras]"
  echo "Installing Spinewise into .venv (pyproject.toml is new or changed)…" >&2
  .venv/bin/pip install --quiet --disable-pip-version-check -e "$spec"
  echo "$hash" > "$stamp"
}
