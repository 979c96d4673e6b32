"""hits -> answer: the question's type and unit, the evidence sentence, the span, the confidence, the citations."""
