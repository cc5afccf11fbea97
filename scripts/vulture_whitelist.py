# Names vulture would call dead (scripts/lint.sh runs it at --min-confidence 60) that are used
# where it cannot see: by Django or Celery by name or signature, by a dotted path in settings, in a
# template, by the in-sandbox bootstrap string, or as documented API for exercise authors.
_.obj  # InlineModelAdmin.has_add_permission(request, obj): platform/submissions/admin.py
media_type  # api.courses.ArchiveParser.parse: DRF's parser signature
parser_context
sender  # Django signal receivers take sender= by signature (cohorts, lti, submissions receivers)

# Dotted paths in platform/config/settings.py
ThrottledModelBackend  # AUTHENTICATION_BACKENDS
BoundedLimitOffsetPagination  # REST_FRAMEWORK
BoundedJSONParser  # REST_FRAMEWORK
ContractAutoSchema  # REST_FRAMEWORK
BodyTooLargeMiddleware  # MIDDLEWARE
ContextFilter  # LOGGING
JsonFormatter  # LOGGING
_.broker_url  # bench/run.py: Celery's app.conf, read by Celery

# Called by name: Celery's control broadcast, a management command's sub-command table, the exercise
# sandbox's bootstrap (a string run in the container)
sandbox_status  # ops.health broadcasts "sandbox_status"
_._warm
_._lines
_._check
inside  # grader/exercise_sandbox.BOOTSTRAP
serve_from_stdio  # grader/exercise_host_docker.BOOTSTRAP

# Read in templates (Django's template language is invisible to vulture)
_.exercise_rows
_.is_me
_.unlocked
_.speaks_to
_.learner_code
_.by_device_check
_.cache_key
_.check_reason
_.token_coverage
_.total_pairs
_.finished_at
_.svg

# Attributes set for their effect on another object (NumPy flags, sys, exceptions, tar headers)
_.writeable
_.dont_write_bytecode
_.cache_tag
_.__cause__
_.__context__
_.mtime

# Fields of records kept for what they say (dataclass and NamedTuple fields, form fields)
_.measured_flops  # grader/gpu_peaks.py: the measured figure beside the datasheet's
_.measured_bytes
_.elapsed_s  # protocol.Report
_.client_id  # lti.forms: a form's fields
_.deployment_ids
_.auth_url
_.token_url
_.keyset_url

# Documented API for exercise authors (docs/authoring.md) and the test suite's entry points
diagnose  # grader.diagnosis: one case, for authors' own checks
elementwise_product
swapped_operands
missing_transpose
skeleton  # accounts.names: UTS #39's skeleton, documented
current_config  # grader.grading: the configuration in force (tests, the shell)
_.visible_ids  # grader.jobs.PackedCases
rank_time  # grader.harness.gpu_timing: the GPU board's rule, used by the device check's tests
below_floor
submission_start  # submissions.services: the submission lane's claim (tests drive the machine by it)
submissions_resend_unfinished
