-- AGI Tracker database. Built fresh by every `python -m etl build` and swapped in atomically.

CREATE TABLE sources (
    source_id      VARCHAR PRIMARY KEY,   -- the article file's stem
    path           VARCHAR NOT NULL,
    title          VARCHAR,
    url            VARCHAR,
    publisher      VARCHAR,
    author         VARCHAR,
    published      DATE,
    published_from VARCHAR,               -- 'sidecar' | 'html meta' | 'dateline' | NULL
    format         VARCHAR NOT NULL,      -- 'txt' | 'markdown' | 'html'
    encoding       VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    bytes          BIGINT NOT NULL,
    chars          BIGINT NOT NULL,
    warnings       VARCHAR[] NOT NULL,
    text           VARCHAR NOT NULL,      -- the decoded text (for HTML: the article's main text); fact offsets index it
    minhash        BLOB,                  -- MinHash of its word shingles (etl/claims.py), for copies
    duplicate_of   VARCHAR                -- a syndicated copy: the original's source_id
);

-- One row per fact; the per-kind columns are NULL for other kinds (views below select them).
CREATE TABLE facts (
    fact_id           VARCHAR PRIMARY KEY,
    source_id         VARCHAR NOT NULL REFERENCES sources (source_id),
    kind              VARCHAR NOT NULL CHECK (kind IN ('compute', 'hire', 'announcement')),
    quote             VARCHAR NOT NULL,
    start_offset      INTEGER NOT NULL,
    end_offset        INTEGER NOT NULL,
    org               VARCHAR,
    date              DATE,
    date_precision    VARCHAR CHECK (date_precision IN ('day', 'month', 'quarter', 'year')),
    date_phrase       VARCHAR,
    extractor_version VARCHAR NOT NULL,
    chip              VARCHAR,
    quantity          BIGINT,
    unit              VARCHAR CHECK (unit IN ('GPUs', 'H100-equivalents')),
    status            VARCHAR CHECK (status IN ('planned', 'operational', 'unspecified')),
    person            VARCHAR,
    from_org          VARCHAR,
    to_org            VARCHAR,
    role              VARCHAR,
    subject           VARCHAR,
    category          VARCHAR CHECK (category IN ('model', 'product', 'organisation', 'investment', 'infrastructure', 'event')),
    confidence        DOUBLE NOT NULL DEFAULT 0 CHECK (confidence BETWEEN 0 AND 1),
    -- Analyst review (etl/reviews.py, applied by every build): corrected values replace the
    -- extracted ones, which stay in extracted_values and in facts_before_review.
    review_status     VARCHAR NOT NULL DEFAULT 'unreviewed'
                      CHECK (review_status IN ('unreviewed', 'verified', 'rejected', 'corrected', 'added')),
    review_note       VARCHAR,
    extracted_values  VARCHAR,
    CHECK (end_offset > start_offset)
);

-- The extracted rows of corrected facts, so a build can undo last build's corrections before
-- applying the review log again (a cached database is a copy of the last one).
CREATE TABLE facts_before_review AS SELECT * FROM facts LIMIT 0;

CREATE VIEW compute_facts AS
    SELECT fact_id, source_id, org, chip, quantity, unit, status, date, date_precision, date_phrase,
           quote, start_offset, end_offset, confidence, review_status
    FROM facts WHERE kind = 'compute';

CREATE VIEW hire_facts AS
    SELECT fact_id, source_id, person, from_org, to_org, role, date, date_precision, date_phrase,
           quote, start_offset, end_offset, confidence, review_status
    FROM facts WHERE kind = 'hire';

CREATE VIEW announcement_facts AS
    SELECT fact_id, source_id, org, subject, category, date, date_precision, date_phrase,
           quote, start_offset, end_offset, confidence, review_status
    FROM facts WHERE kind = 'announcement';

-- Every build, carried over from the previous database so the history survives the swap.
CREATE TABLE etl_runs (
    run_id            VARCHAR PRIMARY KEY,
    started_at        TIMESTAMP NOT NULL,
    finished_at       TIMESTAMP NOT NULL,
    seeds_dir         VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    files_seen        INTEGER NOT NULL,
    sources_loaded    INTEGER NOT NULL,
    files_skipped     INTEGER NOT NULL,
    facts             INTEGER NOT NULL,
    seconds           DOUBLE NOT NULL
);

-- What each build did with each file: loaded, loaded with warnings, or skipped, and why.
CREATE TABLE etl_files (
    run_id    VARCHAR NOT NULL,
    path      VARCHAR NOT NULL,
    source_id VARCHAR,
    status    VARCHAR NOT NULL CHECK (status IN ('loaded', 'loaded with warnings', 'skipped')),
    reason    VARCHAR NOT NULL
);

-- The per-source cache: a source whose content key (sha256 of its bytes and its sidecar's) and
-- cache version (extractor version and this file's layout) are unchanged is not extracted again.
-- While the file's size and mtime (and its sidecar's) match stat_signature, the key is trusted
-- without reading the file.
CREATE TABLE source_keys (
    source_id      VARCHAR PRIMARY KEY REFERENCES sources (source_id),
    content_key    VARCHAR NOT NULL,
    cache_version  VARCHAR NOT NULL,
    stat_signature VARCHAR
);

-- Claims (etl/claims.py): facts from different articles stating the same thing, rebuilt by
-- every build from the reviewed facts (rejected facts support none).
CREATE TABLE claims (
    claim_id       VARCHAR PRIMARY KEY,
    kind           VARCHAR NOT NULL,
    org            VARCHAR,
    unit           VARCHAR,
    chip           VARCHAR,
    quantity       BIGINT,
    status         VARCHAR,
    person         VARCHAR,
    from_org       VARCHAR,
    to_org         VARCHAR,
    role           VARCHAR,
    subject        VARCHAR,
    category       VARCHAR,
    date           DATE,
    date_precision VARCHAR,
    support        INTEGER NOT NULL,      -- independent sources (syndicated copies count once)
    sources        INTEGER NOT NULL,
    facts          INTEGER NOT NULL,
    first_seen     DATE,                  -- by publication date
    last_seen      DATE
);

CREATE TABLE claim_facts (
    claim_id  VARCHAR NOT NULL,
    fact_id   VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL
);

-- Claims about the same thing whose values disagree, with the reason.
CREATE TABLE conflicts (
    conflict_id VARCHAR PRIMARY KEY,
    kind        VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    claim_a     VARCHAR NOT NULL,
    claim_b     VARCHAR NOT NULL
);

-- What became of each review in the log on this build: attached to a fact, or orphaned.
CREATE TABLE reviews (
    review_id VARCHAR PRIMARY KEY,
    reviewed_at VARCHAR NOT NULL,
    action    VARCHAR NOT NULL,
    fact_id   VARCHAR,                    -- the fact it attached to (NULL: orphaned)
    source_id VARCHAR,
    kind      VARCHAR,
    quote     VARCHAR,
    fields    VARCHAR,
    note      VARCHAR,
    attached  BOOLEAN NOT NULL
);
