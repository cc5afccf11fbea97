"""Source checks happen outside the sandbox, before anything runs."""

from grader.harness.forbidden import ForbiddenRules
from grader.source_checks import check_syntax, find_forbidden

NO_MATMUL = ForbiddenRules(calls=("numpy.matmul", "numpy.dot"), operators=("@",), modules=("torch",))


def messages(source, forbidden=NO_MATMUL):
    return [p.message for p in find_forbidden(source, forbidden)]


def test_a_syntax_error_reports_its_line():
    problem = check_syntax("def f(x):\n    return (x\n")
    assert problem.kind == "syntax" and problem.line == 2


def test_clean_code_has_no_problems():
    assert check_syntax("def f(x):\n    return x\n") is None
    assert messages("import numpy as np\n\ndef f(a, b):\n    return np.sum(a * b)\n") == []


def test_forbidden_calls_are_found_through_aliases_and_from_imports():
    assert messages("import numpy as n\nn.matmul(1, 2)\n") == ["np.matmul is not allowed in this exercise"]
    assert messages("from numpy import dot as d\nd(1, 2)\n")[0] == "np.dot is not allowed in this exercise"


def test_the_same_function_under_another_numpy_path_is_forbidden():
    assert messages("import numpy as np\nnp.core.multiarray.matmul(1, 2)\n")


def test_the_matmul_operator_and_its_method_are_forbidden():
    assert "the @ operator is not allowed in this exercise" in messages("c = a @ b\n")
    assert messages("c = a.__matmul__(b)\n")
    assert messages("a @= b\n")


def test_forbidden_modules_cannot_be_imported():
    assert messages("import torch\n") == ["importing torch is not allowed in this exercise"]
    assert messages("from torch.nn import functional\n")


def test_dynamic_lookups_that_could_hide_a_call_are_refused():
    assert messages("import numpy as np\nf = getattr(np, 'mat' + 'mul')\n")
    assert messages("import numpy as np\nf = getattr(np, 'matmul')\n")
    assert messages("f = eval('1')\n")
    assert messages("import sys\nm = sys.modules['numpy']\n")
    assert messages("import importlib\n")


def test_loops_are_refused_only_when_the_exercise_says_so():
    loops = ForbiddenRules(loops=True)
    source = "def f(x):\n    return [v for v in x]\n"
    assert messages(source, loops) == ["a Python list comprehension is not allowed here; use array operations"]
    assert messages("for i in range(3):\n    pass\n", loops)
    assert messages("import numpy as np\nnp.vectorize(abs)\n", loops)
    assert messages(source, ForbiddenRules()) == []
