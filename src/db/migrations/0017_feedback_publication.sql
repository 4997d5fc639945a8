-- What the public reads of a feedback and its answer is masked once, on the server, when staff choose
-- to publish it (names of the notice's village people, ID numbers, phones), and kept as published:
-- the public page shows these texts, never the feedback as written.
ALTER TABLE notice_feedback
  ADD COLUMN published_content text,
  ADD COLUMN published_answer text,
  ADD CONSTRAINT notice_feedback_published_texts CHECK (
    NOT answer_published OR (published_content IS NOT NULL AND published_answer IS NOT NULL)
  ) NOT VALID;
