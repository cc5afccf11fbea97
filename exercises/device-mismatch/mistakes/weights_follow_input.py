# expect: followed-input-dtype
# also: input-device-not-converted
# Converts the model to the input's dtype instead of the reverse.
import torch


def predict(X, model):
    Wx, Wh, b, Wo, bo = (model[name] for name in ("Wx", "Wh", "b", "Wo", "bo"))
    device, dtype = Wx.device, Wx.dtype  # the caller chose them by placing the model
    Wx, Wh, b, Wo, bo = (w.to(dtype=X.dtype) for w in (Wx, Wh, b, Wo, bo))
    device, dtype = X.device, X.dtype
    h = torch.zeros(X.shape[0], Wh.shape[0], device=device, dtype=dtype)
    for t in range(X.shape[1]):
        h = torch.tanh(X[:, t] @ Wx + h @ Wh + b)
    return h @ Wo + bo
