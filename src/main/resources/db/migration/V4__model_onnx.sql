-- The ONNX file of a published model (issue 12): an artifact of kind SUBNET_ONNX made from the model's standalone
-- safetensors file, once. Set at publication; NULL for a model published before ONNX files existed, until its first
-- ONNX download makes it (ModelOnnxFiles). Both columns are set together.
ALTER TABLE models
    ADD COLUMN onnx_sha256 VARCHAR(64) REFERENCES artifacts (sha256),
    ADD COLUMN onnx_size   BIGINT,
    ADD CONSTRAINT models_onnx_check CHECK ((onnx_sha256 IS NULL) = (onnx_size IS NULL));
