"""A plain logistic regression on four columns that are known before the outcome."""
import pickle

import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def features(df):
    X = pd.DataFrame(index=df.index)
    for col in ["tenure_months", "logins_30d", "support_tickets_90d"]:
        X[col] = pd.to_numeric(df[col], errors="coerce")
    X["monthly_contract"] = df["contract_type"].astype(str).str.strip().str.lower().str.startswith("m").astype(int)
    return X


if __name__ == "__main__":
    df = pd.read_csv("/data/train.csv")
    model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression())
    model.fit(features(df), df["churned"])
    with open("/workspace/model.pkl", "wb") as f:
        pickle.dump(model, f)
