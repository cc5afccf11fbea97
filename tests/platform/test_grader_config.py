"""The grader is configured from settings in one place (config/grader.py), with explicit arguments."""

from config.grader import backend_options, sandbox_backend


def test_the_docker_backend_gets_its_images_and_runtime_from_settings(settings):
    settings.SANDBOX_IMAGE, settings.SANDBOX_STDLIB_IMAGE = "registry.example/sandbox:7", "registry.example/stdlib:7"
    settings.SANDBOX_RUNTIME = "runsc"
    settings.SANDBOX_TRITON_IMAGE, settings.SANDBOX_GPU = "registry.example/gpu:7", True

    assert backend_options("docker") == {
        "image": "registry.example/sandbox:7",
        "stdlib_image": "registry.example/stdlib:7",
        "triton_image": "registry.example/gpu:7",
        "gpu": True,
        "runtime": "runsc",
    }


def test_the_grader_is_configured_from_settings_once_the_apps_are_ready(settings, tmp_path):
    from config.grader import configure_grader
    from grader.grading import configure, current_config

    settings.GRADER_CACHE_DIR, settings.GRADER_CASE_POOL_SIZE = tmp_path, 3
    settings.GRADER_CASE_POOL_SECRET, settings.GRADER_CPU_PEAK_FLOPS = "s3cret", 1e12
    before = current_config()
    try:
        configure_grader()
        config = current_config()
    finally:
        configure(before)
    assert (config.cache_dir, config.pool_size, config.pool_secret, config.cpu_peak_flops) == (
        tmp_path,
        3,
        "s3cret",
        1e12,
    )
    assert config.make_store().pool_size == 3


def test_an_empty_runtime_means_the_engines_default(settings):
    settings.SANDBOX_RUNTIME = ""
    assert backend_options("docker")["runtime"] is None


def test_the_backend_setting_chooses_the_backend(settings):
    settings.GRADER_BACKEND = "process"
    backend = sandbox_backend()
    assert backend.name == "process" and backend.unsafe is True
