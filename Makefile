# The set-up commands of the README: `make run`, `make test`, and `make proof` for the long runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test proof lint format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/selfreview run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy dialogues storage
	$(BIN)/pytest -m "not proof" -n 2

# The long proofs (tests marked `proof`): hundreds of random kills, minutes of Telegram failing,
# a broadcast at Telegram's real rates. CI runs them after `make test`.
proof: $(STAMP)
	$(BIN)/pytest -m proof

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python benchmarks/answer_cost.py
	$(BIN)/python benchmarks/broadcast.py
	$(BIN)/python benchmarks/exports.py
	$(BIN)/python benchmarks/flood.py
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/second_start.py
	$(BIN)/python benchmarks/start_up.py
	$(BIN)/python benchmarks/programme_claims.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
