# Calma as a service: a slim, non-root image that runs one instance (`calma serve` by default).
# Several instances share one PostgreSQL database (CALMA_DB=postgresql://…); see compose.yaml.
FROM python:3.11-slim AS build
# A C compiler for the build stage only: the wheel's coaching core is compiled by Cython
# (setup.py), about a fifth less CPU a line. The running image gets the wheel, not the compiler.
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY coaching coaching
COPY bot bot
COPY adapters adapters
COPY app app
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONUTF8=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    CALMA_LOG_FORMAT=json PORT=3978
COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl && rm -rf /wheels \
    && useradd --system --uid 10001 --home-dir /home/calma --create-home calma
USER calma
WORKDIR /home/calma
EXPOSE 3978
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3978'), timeout=2)"
ENTRYPOINT ["calma"]
CMD ["serve", "--host", "0.0.0.0"]
