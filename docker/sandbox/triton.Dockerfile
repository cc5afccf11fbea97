# The sandbox for GPU exercises when no GPU is at hand: the NumPy + PyTorch sandbox plus
# Triton, whose interpreter (TRITON_INTERPRET=1) runs kernels on the CPU, so their
# correctness cases are graded and proven in CI without a GPU. Triton comes as a wheel
# from the sandbox wheelhouse (docker/sandbox/wheels, filled from PyPI by scripts/images.sh)
# and is unpacked into the system site-packages.
#
# It also carries the programs the GPU image lets Triton start (docker/sandbox-gpu/Dockerfile):
# the wheel's ptxas (runs without a GPU: `ptxas --version`) and gcc with libc's headers. The
# interpreter never calls them and a CPU runner's exec filter refuses them; they are here so
# that the GPU path's kernel-enforced exec allow-list (privileges.restrict_exec, Landlock) is
# proven on a CPU (tests/sandbox/test_exec_allow_list.py), with the same tools it allows.
#
# Build context: docker/sandbox/wheels.
ARG SANDBOX=tensordojo/sandbox:latest
FROM ${SANDBOX}
USER root
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
COPY triton-*.whl /opt/wheels/
RUN python3 -m zipfile -e /opt/wheels/triton-*.whl /usr/lib/python3/dist-packages/ \
 && rm -rf /opt/wheels /usr/lib/python3/dist-packages/triton/backends/amd/lib \
 && chmod a+x /usr/lib/python3/dist-packages/triton/backends/nvidia/bin/* \
 && python3 -m compileall -q /usr/lib/python3/dist-packages/triton
USER 10001:10001
ENV TRITON_INTERPRET=1 TRITON_CACHE_DIR=/tmp/.triton
