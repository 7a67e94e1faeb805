"""The verifier's judgement, pure: factors, thresholds, calculation, evidence matching,
assessment, the rule catalogue, materiality and the opinion. Records in, findings and a
conclusion out; no file, PDF, storage, rendering or orchestration library is imported here."""
