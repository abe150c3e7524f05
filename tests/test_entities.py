from etl.entities import canonical_org, dominant_org, find_chips, find_orgs, find_people


def test_org_aliases_are_canonical():
    text = "Facebook, Meta Platforms and Google DeepMind; DeepMind; AWS; Microsoft AI."
    assert [m.name for m in find_orgs(text)] == [
        "Meta",
        "Meta",
        "Google",
        "Google",
        "Amazon",
        "Microsoft",
    ]
    assert canonical_org("Meta Platforms") == "Meta"
    assert canonical_org("Acme Widgets") is None


def test_org_not_found_inside_other_words():
    assert find_orgs("The Metaverse and metadata.") == []


def test_chips_are_canonical_and_specific():
    text = "350k h100 GPUs, 10,000 B200s, GB200 NVL72, TPU v5p, v5e TPUs, Trainium2, MI300X, Ascend 910B"
    assert [m.name for m in find_chips(text)] == [
        "H100", "B200", "GB200", "TPU v5p", "TPU v5e", "Trainium2", "MI300X", "Ascend 910B",
    ]  # fmt: skip


def test_chip_words_need_their_capital():
    assert find_chips("they ascend to the maia of hopper") == []


def test_people_drop_titles_orgs_and_possessives():
    text = (
        "Chief AI Scientist Yann LeCun met Senator Chuck Schumer. Mark Zuckerberg's Meta hired "
        "José Álvarez and Jean-Luc van der Berg from Amazon Web Services, says the Wall Street Journal."
    )
    assert [m.name for m in find_people(text)] == [
        "Yann LeCun", "Chuck Schumer", "Mark Zuckerberg", "José Álvarez", "Jean-Luc van der Berg",
    ]  # fmt: skip


def test_dominant_org_prefers_labs_over_chip_vendors():
    assert dominant_org("Nvidia Nvidia Nvidia sold chips to xAI. xAI and xAI.") == "xAI"
