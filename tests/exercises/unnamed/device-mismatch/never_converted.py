# named: to-result-discarded
# Never converts X at all (no .to() anywhere): told to convert it, not that it discarded a .to().
import torch


def predict(X, model):
    Wx, Wh, b, Wo, bo = (model[name] for name in ("Wx", "Wh", "b", "Wo", "bo"))
    h = torch.zeros(X.shape[0], Wh.shape[0], device=Wx.device, dtype=Wx.dtype)
    for t in range(X.shape[1]):
        h = torch.tanh(X[:, t] @ Wx + h @ Wh + b)
    return h @ Wo + bo
