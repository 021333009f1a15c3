# The production image: one image for the api, worker and scheduler services.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 ENVIRONMENT=production \
    MEDIA_ROOT=/var/lib/hrhelper/media
COPY --from=build /install /usr/local
# the media directory is created here, owned by the service user, so that a named volume
# mounted on it starts with that owner
RUN useradd --create-home --uid 10001 hrhelper \
    && mkdir -p /var/lib/hrhelper/media && chown -R hrhelper /var/lib/hrhelper
USER hrhelper
WORKDIR /home/hrhelper
EXPOSE 8000
CMD ["hrhelper", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
