"""Second, independent implementation of the ASL index family (asl-conformance profile 1).

Written from spec/ only (protocol.md, decisions.yaml, errors.yaml, rules/*.yaml, schemas/).
"""
