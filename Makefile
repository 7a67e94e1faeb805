.PHONY: test lint bench bench-quick demo
test:
	python3 -m pytest -q
lint:
	ruff check . && lint-imports
# Issue 17's figures on sets generated in the run; writes bench/RESULTS.md (never part of CI's tests)
bench:
	python3 bench/bench_pipeline.py $(BENCH_ARGS)
bench-quick:
	python3 bench/bench_pipeline.py --quick $(BENCH_ARGS)
demo:
	carbon-verify demo --out out/
