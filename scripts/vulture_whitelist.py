# Names vulture would call dead that Django calls by signature (see scripts/check.sh).
_.obj  # InlineModelAdmin.has_add_permission(request, obj): platform/submissions/admin.py
media_type  # api.courses.ArchiveParser.parse: DRF's parser signature
parser_context
sender  # Django signal receivers take sender= by signature (cohorts, lti, submissions receivers)
