.PHONY: test lint bench demo
test:
	python3 -m pytest -q
lint:
	ruff check . && lint-imports
bench:
	python3 -m pytest bench -q --benchmark-only 2>/dev/null || for f in bench/bench_*.py; do python3 $$f; done
demo:
	carbon-verify demo --out out/
