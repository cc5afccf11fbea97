# The sandbox for GPU exercises when no GPU is at hand: the NumPy + PyTorch sandbox plus
# Triton, whose interpreter (TRITON_INTERPRET=1) runs kernels on the CPU, so their
# correctness cases are graded and proven in CI without a GPU. Triton comes as a wheel
# from the sandbox wheelhouse (docker/sandbox/wheels, filled from PyPI by scripts/images.sh)
# and is unpacked into the system site-packages; the CUDA tool binaries it ships are left
# out (the interpreter never calls them).
#
# Build context: docker/sandbox/wheels.
ARG SANDBOX=tensordojo/sandbox:latest
FROM ${SANDBOX}
USER root
COPY triton-*.whl /opt/wheels/
RUN python3 -m zipfile -e /opt/wheels/triton-*.whl /usr/lib/python3/dist-packages/ \
 && rm -rf /opt/wheels /usr/lib/python3/dist-packages/triton/backends/nvidia/bin \
           /usr/lib/python3/dist-packages/triton/backends/amd/lib \
 && python3 -m compileall -q /usr/lib/python3/dist-packages/triton
USER 10001:10001
ENV TRITON_INTERPRET=1 TRITON_CACHE_DIR=/tmp/.triton
