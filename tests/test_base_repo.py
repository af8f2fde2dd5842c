"""The base tiny repository every rule test starts from is clean."""


def test_base_repository_has_no_results(repo):
    run = repo.dspt("check")
    assert run.out == ("0 errors, 0 findings, 0 warnings (1 policy, 1 evidence file; "
                       "as of 2026-07-01)\n"
                       "note: this folder is not a git repository, so no history is known: "
                       "the history rules (HI) were not run\n")
    assert run.code == 0
