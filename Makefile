# sctp-ng front door. `make` builds, `make check` runs every test suite,
# `make demo` runs the demo, `make bench` the benchmarks. Before CMake
# configures, every Debian package of scripts/deps.sh is installed (as root)
# or named as missing: a library found only later would leave its suite
# unbuilt. SANITIZE=1 builds and tests with ASan+UBSan in a separate build
# folder. KERNELS="5.10 6.1 6.12" runs the kernel-backed suites on each of
# those Debian kernels (tests/vm/kernels.sh fetches them). `make deb` (as
# root) builds the Debian packages of debian/ and checks them installed
# (scripts/debcheck.sh); DEB_OUT=dir keeps the .debs.

SANITIZE ?= 0
ifeq ($(SANITIZE),1)
BUILD ?= build-asan
# Optimised, so that the long simulations finish in time; still -g.
CMAKE_FLAGS += -DSCTPNG_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
else
BUILD ?= build
CMAKE_FLAGS += -DCMAKE_BUILD_TYPE=RelWithDebInfo
endif
JOBS ?= $(shell nproc)

.PHONY: all deps configure check demo bench fuzz deb format clean

all: configure
	cmake --build $(BUILD) -j$(JOBS)

deps:
	scripts/deps.sh

configure: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

check: all
	KERNELS="$(KERNELS)" tests/check.sh $(BUILD) $(SUITES)

demo: all
	scripts/demo.sh $(BUILD)

bench: all
	bench/run.sh $(BUILD)

fuzz:
	scripts/deps.sh build fuzz
	fuzz/run.sh $(FUZZ_SECONDS)

deb:
	scripts/debcheck.sh $(DEB_OUT)

format:
	git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf build build-asan build-fuzz
