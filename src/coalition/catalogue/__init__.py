"""The catalogue of OER: see models.py for the vocabulary and the module notes of each part."""
