"""The grader is configured from settings in one place (config/grader.py), with explicit arguments."""

from config.grader import backend_options, sandbox_backend


def test_the_docker_backend_gets_its_images_and_runtime_from_settings(settings):
    settings.SANDBOX_IMAGE, settings.SANDBOX_STDLIB_IMAGE = "registry.example/sandbox:7", "registry.example/stdlib:7"
    settings.SANDBOX_RUNTIME = "runsc"

    assert backend_options("docker") == {
        "image": "registry.example/sandbox:7",
        "stdlib_image": "registry.example/stdlib:7",
        "runtime": "runsc",
    }


def test_an_empty_runtime_means_the_engines_default(settings):
    settings.SANDBOX_RUNTIME = ""
    assert backend_options("docker")["runtime"] is None


def test_the_backend_setting_chooses_the_backend(settings):
    settings.GRADER_BACKEND = "process"
    backend = sandbox_backend()
    assert backend.name == "process" and backend.unsafe is True
